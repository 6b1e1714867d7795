namespace PushServer.Configuration;

/// <summary>
/// The server side of the Socket.IO Admin UI (section <c>AdminUi</c>), what <c>instrument(io)</c> of
/// @socket.io/admin-ui 0.5 does: a namespace the hosted admin.socket.io (or the UI bundle of the npm package) connects
/// to, to list and act on the sockets of every node. Off by default: it shows every client's handshake headers.
/// </summary>
internal sealed class AdminUiSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "AdminUi";

    /// <summary>The namespace of @socket.io/admin-ui, which its UI connects to unless told otherwise.</summary>
    public const string DefaultNamespace = "/admin";

    /// <summary>instrument()'s stats period: the UI's charts expect a point every 2 seconds.</summary>
    public const int DefaultServerStatsIntervalMs = 2000;

    /// <summary><c>development</c> sends every socket, room and event to the UI; <c>production</c> only the stats.</summary>
    public const string DevelopmentMode = "development";

    /// <summary>Only <c>server_stats</c>, as instrument()'s <c>mode: "production"</c>, for busy servers.</summary>
    public const string ProductionMode = "production";

    /// <summary>Whether the admin namespace exists.</summary>
    public bool Enabled { get; set; }

    /// <summary>The admin namespace's name.</summary>
    public string Namespace { get; set; } = DefaultNamespace;

    /// <summary>The UI's user name; required, with <see cref="PasswordHash"/>, unless <see cref="AllowNoAuth"/>.</summary>
    public string Username { get; set; } = "";

    /// <summary>
    /// The bcrypt hash (<c>$2b$10$…</c>) of the UI's password, as instrument()'s <c>auth.password</c>; a plaintext
    /// password is refused at start-up so that none sits in a configuration file.
    /// </summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>Lets anyone who reaches the Socket.IO port connect to the admin namespace (instrument()'s <c>auth: false</c>).</summary>
    public bool AllowNoAuth { get; set; }

    /// <summary>Whether the UI may only look: no emit, join, leave or disconnect actions.</summary>
    public bool ReadOnly { get; set; }

    /// <summary><see cref="DevelopmentMode"/> (default, as instrument() outside NODE_ENV=production) or <see cref="ProductionMode"/>.</summary>
    public string Mode { get; set; } = DevelopmentMode;

    /// <summary>How often this node sends <c>server_stats</c>.</summary>
    public int ServerStatsIntervalMs { get; set; } = DefaultServerStatsIntervalMs;

    /// <summary>
    /// The Socket.IO server URL the UI served at <c>/admin/</c> on the push port connects to, for a server behind a
    /// proxy (<c>https://push.example.com</c>). Empty: the host name the browser used for the page, with this node's
    /// Socket.IO port and scheme (https when Server:Tls is on).
    /// </summary>
    public string SocketIOUrl { get; set; } = "";

    /// <summary>This node's name in the UI; the host name when empty, as in instrument().</summary>
    public string ServerId { get; set; } = "";
}
