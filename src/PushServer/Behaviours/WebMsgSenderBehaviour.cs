using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.SocketIO;

namespace PushServer.Behaviours;

/// <summary>
/// web-msg-sender's client side: <c>login</c> joins the socket to the uid's push room (the one the form API's
/// <c>to=</c> targets), and <c>update_online_count</c> tells every page how many uids and pages are online, in the
/// same HTML snippet shape web-msg-sender's page puts straight into the document. Counts are this node's.
/// </summary>
internal sealed class WebMsgSenderBehaviour(IOptions<WebMsgSenderSettings> settings, IOptions<PushApiSettings> pushApi)
    : IPushServerBehaviour
{
    private readonly ConcurrentDictionary<string, int> _pagesByUid = new(StringComparer.Ordinal);
    private readonly WebMsgSenderSettings _settings = settings.Value;
    private readonly PushApiSettings _pushApi = pushApi.Value;
    private SocketIONamespace? _root;

    /// <summary>Installs the login handler when enabled.</summary>
    public void Apply(SocketIOServer io)
    {
        if (!_settings.Login)
        {
            return;
        }
        _root = io.Of("/");
        _root.OnConnection(socket => socket.On(_settings.LoginEvent, e => OnLogin(socket, e)));
    }

    private void OnLogin(SocketIOSocket socket, SocketIOEvent e)
    {
        var uid = e.Args.Count > 0 ? UidOf(e.Args[0]) : null;
        if (uid is null || uid.Length is 0 or > 128 || socket.Data is LoggedIn)
        {
            // No uid, an absurd one, or a second login on the same page: ignored, as web-msg-sender does.
            return;
        }
        socket.Data = new LoggedIn(uid);
        socket.Join(_pushApi.UserRoom(uid));
        _pagesByUid.AddOrUpdate(uid, 1, (_, n) => n + 1);
        socket.OnDisconnect(_ =>
        {
            if (_pagesByUid.AddOrUpdate(uid, 0, (_, n) => n - 1) <= 0)
            {
                _pagesByUid.TryRemove(new KeyValuePair<string, int>(uid, 0));
            }
            BroadcastOnlineCount();
        });
        BroadcastOnlineCount();
    }

    private static string? UidOf(System.Text.Json.JsonElement value) => value.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => SocketIO.Protocol.LenientJsonString.Read(value),
        System.Text.Json.JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private void BroadcastOnlineCount()
    {
        if (!_settings.OnlineCount || _root is null)
        {
            return;
        }
        var users = _pagesByUid.Count;
        var pages = _pagesByUid.Values.Sum();
        _root.Emit("update_online_count", string.Create(CultureInfo.InvariantCulture,
            $"<b>{users}</b> users online, <b>{pages}</b> pages open"));
    }

    private sealed record LoggedIn(string Uid);
}
