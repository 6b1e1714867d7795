using System.Text.Json;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.SocketIO;
using PushServer.SocketIO.Protocol;

namespace PushServer.Behaviours.Auth;

/// <summary>
/// Checks each connecting socket's JWT in a namespace middleware: a refused token becomes the client's
/// <c>connect_error</c> (<c>{"message":"Unauthorized","data":{"code":…}}</c>) and no socket exists. A valid token's
/// <c>sub</c> joins the socket to that user's room (the push API's <c>PushApi:UserRoomPattern</c>, so pushes to the
/// user reach it) and its <c>rooms</c> claim pre-joins rooms.
/// </summary>
internal sealed class JwtAuthBehaviour(
    IOptions<AuthSettings> options, IOptions<PushApiSettings> pushApiOptions, IOptions<SocketIOSettings> socketIOOptions, TimeProvider time)
    : IPushServerBehaviour
{
    /// <summary>Installs the check on every served namespace, when a key is configured.</summary>
    public void Apply(SocketIOServer io)
    {
        var settings = options.Value;
        if (!settings.IsConfigured())
        {
            return;
        }
        var pushApi = pushApiOptions.Value;
        var validator = new TokenValidator(settings, time);
        foreach (var name in socketIOOptions.Value.Namespaces.Append("/").Distinct(StringComparer.Ordinal))
        {
            io.Of(name).Use(async (socket, _) =>
            {
                var token = ReadToken(socket);
                if (token is null)
                {
                    if (settings.Required)
                    {
                        throw new ConnectErrorException("Unauthorized", new { code = "missing_token" });
                    }
                    return;
                }
                var check = await validator.CheckAsync(token).ConfigureAwait(false);
                if (!check.Valid)
                {
                    throw new ConnectErrorException("Unauthorized", new { code = check.Error });
                }
                if (check.Subject is { Length: > 0 } subject)
                {
                    socket.Join(pushApi.UserRoom(subject));
                }
                socket.Join(check.Rooms);
                socket.Data = check;
                if (settings.DisconnectOnExpiry && check.Expires is { } expires)
                {
                    DisconnectAt(socket, expires, time);
                }
            });
        }
    }

    /// <summary>From the CONNECT auth payload (<c>auth.token</c>), else the <c>token</c> query parameter (1.x/2.x clients).</summary>
    private static string? ReadToken(SocketIOSocket socket)
    {
        var auth = socket.Handshake.Auth;
        if (auth.ValueKind == JsonValueKind.Object && auth.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String)
        {
            return LenientJsonString.Read(token);
        }
        return socket.Handshake.Query.TryGetValue("token", out var query) && query.Length > 0 ? query : null;
    }

    private static void DisconnectAt(SocketIOSocket socket, DateTimeOffset expires, TimeProvider time)
    {
        var due = expires - time.GetUtcNow();
        var timer = time.CreateTimer(
            static state => ((SocketIOSocket)state!).Disconnect(), socket, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        socket.OnDisconnect(_ => timer.Dispose());
    }
}
