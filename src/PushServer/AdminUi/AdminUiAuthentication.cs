using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PushServer.Configuration;
using PushServer.SocketIO;

namespace PushServer.AdminUi;

/// <summary>
/// instrument()'s basic authentication: the UI's CONNECT auth carries <c>{username, password}</c>, checked against the
/// configured bcrypt hash, or <c>{sessionId}</c> from an earlier login. A failure is a connect_error
/// "invalid credentials", as in the original. Password checks are bounded by <see cref="AdminLoginGuard"/>: a refused
/// attempt is a connect_error "too many login attempts".
/// </summary>
internal sealed class AdminUiAuthentication
{
    private const string InvalidCredentials = "invalid credentials";
    private const string TooManyAttempts = "too many login attempts";

    private readonly AdminUiSettings _settings;
    private readonly AdminLoginGuard _guard;
    private readonly ILogger _logger;
    private readonly AdminUiSessionStore _sessions = new();
    // The session id to send once the socket is connected: the UI keeps it for its reconnections.
    private readonly ConditionalWeakTable<SocketIOSocket, string> _newSessions = new();

    public AdminUiAuthentication(AdminUiSettings settings, AdminLoginGuard guard, ILogger logger)
    {
        _settings = settings;
        _guard = guard;
        _logger = logger;
    }

    public void Apply(SocketIONamespace adminNamespace)
    {
        if (_settings.AllowNoAuth)
        {
            return;
        }
        adminNamespace.Use(AuthenticateAsync);
    }

    /// <summary>Sends the session id created by this socket's login, if any (after CONNECT, so the UI takes it).</summary>
    public void SendSession(SocketIOSocket socket)
    {
        if (_newSessions.TryGetValue(socket, out var sessionId))
        {
            _newSessions.Remove(socket);
            socket.Emit(AdminUiProtocol.Session, sessionId);
        }
    }

    private async ValueTask AuthenticateAsync(SocketIOSocket socket, CancellationToken cancellationToken)
    {
        var auth = socket.Handshake.Auth;
        if (auth.ValueKind != JsonValueKind.Object)
        {
            throw new ConnectErrorException(InvalidCredentials);
        }
        if (String(auth, "sessionId") is { } sessionId && _sessions.Contains(sessionId))
        {
            return;
        }
        if (String(auth, "password") is not { } password)
        {
            throw new ConnectErrorException(InvalidCredentials);
        }
        // A wrong user name counts as a failure like a wrong password, and costs the same check, so neither the time
        // nor the lock-out tells which of the two was wrong.
        var username = String(auth, "username");
        var address = socket.Handshake.Address;
        var (verdict, matches, lockedOutNow) = await _guard.CheckAsync(
            address, () => Verify(password, _settings.PasswordHash) && username == _settings.Username, cancellationToken);
        if (lockedOutNow)
        {
            AdminUiInstrumentation.Log.LoginLockedOut(_logger, address, AdminLoginGuard.MaxFailures, AdminLoginGuard.FailureWindow.TotalSeconds);
        }
        if (verdict != AdminLoginGuard.Verdict.Checked)
        {
            throw new ConnectErrorException(TooManyAttempts);
        }
        if (!matches)
        {
            throw new ConnectErrorException(InvalidCredentials);
        }
        _newSessions.AddOrUpdate(socket, _sessions.Create());
    }

    private static bool Verify(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            // Not reached with a validated hash; a refusal either way.
            return false;
        }
    }

    private static string? String(JsonElement auth, string name) =>
        auth.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
