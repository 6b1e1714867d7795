namespace PushServer.Configuration;

/// <summary>
/// web-msg-sender compatibility (section <c>WebMsgSender</c>), off by default: its <c>login</c> event lets any client
/// claim any uid, so it is unauthenticated by design. Prefer <c>Auth</c> (JWT) for anything that matters.
/// </summary>
internal sealed class WebMsgSenderSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "WebMsgSender";

    /// <summary>Whether a client's <c>login</c> event (<c>socket.emit("login", uid)</c>) joins it to that uid's push room.</summary>
    public bool Login { get; set; }

    /// <summary>The login event's name.</summary>
    public string LoginEvent { get; set; } = "login";

    /// <summary>Whether <c>update_online_count</c> is broadcast to everyone when a uid logs in or its last page leaves.</summary>
    public bool OnlineCount { get; set; }
}
