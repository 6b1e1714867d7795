namespace PushServer.Configuration;

/// <summary>The push API listener (configuration section <c>PushApi</c>).</summary>
internal sealed class PushApiSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "PushApi";

    /// <summary>phpsocket.io's inner HTTP worker listens on 9191; backends written for it post there unchanged.</summary>
    public const int DefaultPort = 9191;

    /// <summary>The push API can reach every client, so by default only this machine may call it.</summary>
    public const string DefaultBind = "127.0.0.1";

    /// <summary>Pushes are small JSON documents; 1 MiB matches the clients' own message cap (maxHttpBufferSize).</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>A prefix keeps user rooms apart from socket ids and rooms the application names itself.</summary>
    public const string DefaultUserRoomPattern = "uid:{uid}";

    /// <summary>
    /// Shortest token accepted: 16 random characters are beyond guessing over HTTP, and short enough to type. The
    /// length is checked on loopback too, where the token is what keeps a DNS-rebinding page out.
    /// </summary>
    public const int MinTokenLength = 16;

    /// <summary>
    /// Backends push over a handful of connections; 256 leaves most of <see cref="Hosting.ConnectionCapacity.Reserve"/>
    /// for Redis, webhooks and the runtime's own files.
    /// </summary>
    public const int DefaultMaxConnections = 256;

    /// <summary>TCP port of the push API; 0 lets the system choose.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Address of the push API. Anything but a loopback address requires <see cref="Token"/>.</summary>
    public string Bind { get; set; } = DefaultBind;

    /// <summary>
    /// Bearer token every push request must carry, at least <see cref="MinTokenLength"/> characters; empty disables
    /// the check (loopback only, and then only loopback Host names are answered).
    /// </summary>
    public string Token { get; set; } = "";

    /// <summary>Most connections the push port holds at once; more are closed on accept.</summary>
    public int MaxConnections { get; set; } = DefaultMaxConnections;

    /// <summary>
    /// Serve the push API over TLS too, with the Socket.IO port's certificate (<c>Server:Tls</c>): for a push port
    /// reached over a network. Off by default: on loopback, where it listens by default, TLS adds nothing.
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>Largest request body accepted; larger requests get 413.</summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>
    /// Room that holds a user's sockets; <c>{uid}</c> is replaced by the user id. The web-msg-sender form
    /// (<c>type=publish&amp;to=UID</c>) pushes to this room.
    /// </summary>
    public string UserRoomPattern { get; set; } = DefaultUserRoomPattern;

    /// <summary>
    /// Whether the web-msg-sender form escapes <c>content</c> as HTML before emitting it. web-msg-sender does, because
    /// its page inserts messages as HTML; keep it on unless every client inserts text safely.
    /// </summary>
    public bool EscapeFormContent { get; set; } = true;

    /// <summary>The room of user <paramref name="uid"/>.</summary>
    public string UserRoom(string uid) => UserRoomPattern.Replace("{uid}", uid, StringComparison.Ordinal);
}
