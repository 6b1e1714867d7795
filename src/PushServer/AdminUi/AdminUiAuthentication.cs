using System.Runtime.CompilerServices;
using System.Text.Json;
using PushServer.Configuration;
using PushServer.SocketIO;

namespace PushServer.AdminUi;

/// <summary>
/// instrument()'s basic authentication: the UI's CONNECT auth carries <c>{username, password}</c>, checked against the
/// configured bcrypt hash, or <c>{sessionId}</c> from an earlier login. A failure is a connect_error
/// "invalid credentials", as in the original.
/// </summary>
internal sealed class AdminUiAuthentication
{
    private const string InvalidCredentials = "invalid credentials";

    private readonly AdminUiSettings _settings;
    private readonly AdminUiSessionStore _sessions = new();
    // The session id to send once the socket is connected: the UI keeps it for its reconnections.
    private readonly ConditionalWeakTable<SocketIOSocket, string> _newSessions = new();

    public AdminUiAuthentication(AdminUiSettings settings)
    {
        _settings = settings;
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
        if (String(auth, "username") == _settings.Username && String(auth, "password") is { } password)
        {
            // bcrypt is slow on purpose (tens of milliseconds): off the connection's I/O thread.
            var matches = await Task.Run(() => Verify(password, _settings.PasswordHash), cancellationToken);
            if (matches)
            {
                _newSessions.AddOrUpdate(socket, _sessions.Create());
                return;
            }
        }
        throw new ConnectErrorException(InvalidCredentials);
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
