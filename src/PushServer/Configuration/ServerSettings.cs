namespace PushServer.Configuration;

/// <summary>The Socket.IO listener (configuration section <c>Server</c>).</summary>
internal sealed class ServerSettings
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
    /// a shorter path per frame. Off sends every upgrade through ASP.NET Core's WebSocket middleware (the listener
    /// still counts and times every connection: <see cref="MaxConnections"/>, <see cref="RequestHeadersTimeout"/>).
    /// </summary>
    public bool ConnectionLevelWebSockets { get; set; } = true;

    /// <summary>
    /// Most TCP connections the Socket.IO port holds at once, of every kind (WebSocket, polling, pages, connections
    /// that have sent nothing yet); one past it is reset as soon as it is accepted. 0 derives it from the process's
    /// open-file limit (see <see cref="Hosting.ConnectionCapacity"/>), so a flood of connections can never take the
    /// process to that limit.
    /// </summary>
    public int MaxConnections { get; set; }

    /// <summary>
    /// ms a new connection to the Socket.IO port may take, from its accept, to send its whole first request head;
    /// then it is closed, however slowly it dripped bytes meanwhile. Later requests on a kept-alive connection get
    /// the same from their first byte (Kestrel's <c>RequestHeadersTimeout</c>). Node's <c>headersTimeout</c> is
    /// 60 s; see <see cref="EngineIO.EngineIOConnectionLimits.DefaultRequestHeadersTimeout"/> for why 10 s here.
    /// </summary>
    public int RequestHeadersTimeout { get; set; } = (int)EngineIO.EngineIOConnectionLimits.DefaultRequestHeadersTimeout.TotalMilliseconds;

    /// <summary>
    /// Run socket completions and the connections' code on the I/O threads instead of handing each one to the thread
    /// pool (see <see cref="Hosting.InlineIo"/>).
    /// </summary>
    public bool InlineIo { get; set; } = true;

    /// <summary>
    /// Give native blocks of 64 KB and more a mapping of their own, returned to the system once freed, instead of
    /// letting glibc's arenas keep them (see <see cref="Hosting.NativeHeapReturn"/>).
    /// </summary>
    public bool ReturnLargeNativeBlocks { get; set; } = true;

    /// <summary>TLS on this port (<c>wss://</c>, <c>https://</c>): the certificate and key files; none by default.</summary>
    public TlsSettings Tls { get; set; } = new();
}
