namespace PushServer.Configuration;

/// <summary>The Socket.IO listener (configuration section <c>Server</c>).</summary>
internal sealed class ServerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Server";

    /// <summary>phpsocket.io's examples listen on 2024, so clients written for them connect unchanged.</summary>
    public const int DefaultPort = 2024;

    /// <summary>Browsers connect from anywhere, so the client port listens on every interface.</summary>
    public const string DefaultBind = "0.0.0.0";

    /// <summary>TCP port of the Socket.IO listener; 0 lets the system choose.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Address of the Socket.IO listener: an IP address, <c>0.0.0.0</c>/<c>*</c> (all), or <c>localhost</c>.</summary>
    public string Bind { get; set; } = DefaultBind;

    /// <summary>
    /// Accept Engine.IO WebSockets on the connection, below Kestrel's HTTP layer: about 5 KB less per connection and
    /// a shorter path per frame. Off sends every upgrade through ASP.NET Core's WebSocket middleware.
    /// </summary>
    public bool ConnectionLevelWebSockets { get; set; } = true;

    /// <summary>
    /// Run socket completions and the connections' code on the I/O threads instead of handing each one to the thread
    /// pool (see <see cref="Hosting.InlineIo"/>).
    /// </summary>
    public bool InlineIo { get; set; } = true;
}
