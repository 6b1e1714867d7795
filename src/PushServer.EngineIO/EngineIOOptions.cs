using System.Net;
using Microsoft.AspNetCore.Http;

namespace PushServer.EngineIO;

/// <summary>
/// Engine.IO server options. Every default is socket.io's own, so clients tuned for Node's server behave
/// the same here.
/// </summary>
public sealed class EngineIOOptions
{
    /// <summary>How often a v4 server pings (and how long v3 clients wait between their pings). socket.io: 25 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromMilliseconds(25_000);

    /// <summary>How long to wait for the heartbeat answer before closing with <c>ping timeout</c>. socket.io: 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromMilliseconds(20_000);

    /// <summary>How long a probing WebSocket may take to send the upgrade packet. socket.io: 10 s.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromMilliseconds(10_000);

    /// <summary>
    /// How late a heartbeat or WebSocket write deadline may fire so that deadlines falling close together share one
    /// wake-up of the timer. Not in socket.io. Each wake-up costs a timer thread and a pool thread; with 20 ms an idle
    /// server handles the heartbeats of clients that connected within 20 ms of each other at once, and a ping or ping
    /// timeout comes at most 20 ms after its time (the ping timeout is still counted from when the ping was due).
    /// <see cref="TimeSpan.Zero"/> fires each deadline at its time, for clients that measure the heartbeat to the
    /// millisecond (socket.io's protocol test-suites do). Must not be negative.
    /// </summary>
    public TimeSpan TimerCoalescing { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long a server-closed polling session waits for the client's next GET to deliver the close packet
    /// before it is dropped anyway. engine.io: 30 s.
    /// </summary>
    public TimeSpan PollingCloseTimeout { get; set; } = TimeSpan.FromMilliseconds(30_000);

    /// <summary>
    /// Largest message or POST body accepted, in bytes, and the <c>maxPayload</c> advertised in the open packet.
    /// socket.io: 1e6. A larger POST gets 413; a larger WebSocket message closes the connection with 1009.
    /// </summary>
    public int MaxHttpBufferSize { get; set; } = 1_000_000;

    /// <summary>
    /// Backlog a session may build up for the client, in bytes: a packet that finds this much still queued ahead of it
    /// closes the session with <see cref="EngineCloseReason.OutboundQueueFull"/>, so one slow reader can never grow
    /// server memory without bound nor make a broadcaster wait. It bounds the backlog, not a packet: one packet is
    /// taken whatever its size when less than this waits ahead of it (a session holds at most this plus one packet).
    /// 1 MiB holds about a thousand chat-sized messages.
    /// </summary>
    public long MaxOutboundQueueBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long one WebSocket write may take before the client is deemed gone and the session closes with
    /// <see cref="EngineCloseReason.WriteTimeout"/>. Not in socket.io, which waits forever. 30 s lets a slow mobile
    /// link take a full <see cref="MaxOutboundQueueBytes"/> burst at about 35 KB/s.
    /// </summary>
    public TimeSpan WebSocketSendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most sessions open at once; a handshake past it is refused with 503 <c>{"code":4,"message":"Server full"}</c>.
    /// Not in socket.io. 100,000 is far above what one process serves well and below what exhausts its memory.
    /// </summary>
    public int MaxSessions { get; set; } = 100_000;

    /// <summary>
    /// Most WebSocket connections open at once (upgrades and probes included); one past it is refused with 503
    /// before the upgrade. Not in socket.io. Each holds a socket and a receive buffer; same bound as <see cref="MaxSessions"/>.
    /// </summary>
    public int MaxWebSocketConnections { get; set; } = 100_000;

    /// <summary>
    /// Most handshakes one client address may make per second; past it they are refused with 429
    /// <c>{"code":4,"message":"Too many handshakes"}</c>. 0 (the default) turns the check off: behind a reverse proxy
    /// every client shares the proxy's address, so only enable it where the server sees the real addresses.
    /// </summary>
    public int MaxHandshakesPerSecondPerIp { get; set; }

    /// <summary>
    /// Reverse proxies (single addresses or ranges) whose <c>X-Forwarded-For</c> header is believed. A request that
    /// comes from one of them is counted against <see cref="MaxHandshakesPerSecondPerIp"/>, logged and given as its
    /// session's address (<see cref="EngineHandshake.RemoteAddress"/>) under the client address the header names: the
    /// header is read from the right, past every trusted proxy's entry, to the first address that is not one. Empty
    /// (the default): the header is never read, since any client can send it. Not in socket.io, whose handshake address
    /// is always the TCP peer's.
    /// </summary>
    public IList<IPNetwork> TrustedProxies { get; set; } = new List<IPNetwork>();

    /// <summary>
    /// Sustained rate of packets one session may send, per second (a token bucket of <see cref="InboundPacketBurst"/>
    /// tokens refilled at this rate); past it the session closes with <see cref="EngineCloseReason.RateLimited"/>.
    /// 0 turns it off. Not in socket.io. 1,000 a second is ten times a chatty real-time client, yet stops one
    /// connection from keeping a core busy.
    /// </summary>
    public int MaxInboundPacketsPerSecond { get; set; } = 1000;

    /// <summary>Packets a session may send in a burst above <see cref="MaxInboundPacketsPerSecond"/>: a polling POST may carry many.</summary>
    public int InboundPacketBurst { get; set; } = 2000;

    /// <summary>
    /// Bytes all WebSocket connections together may hold in messages whose last fragment has not arrived yet. The
    /// connection whose fragment would pass it is closed (1009, <c>transport error</c>). Not in socket.io; without it
    /// a thousand clients each stopping one byte short of <see cref="MaxHttpBufferSize"/> would pin a gigabyte.
    /// 64 MiB lets 64 full-size uploads be in flight at once.
    /// </summary>
    public long MaxPendingWebSocketBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Enabled transports. socket.io: polling and WebSocket.</summary>
    public EngineTransports Transports { get; set; } = EngineTransports.Polling | EngineTransports.WebSocket;

    /// <summary>Whether polling sessions may upgrade to WebSocket. socket.io: true.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>
    /// Whether Engine.IO v3 clients (socket.io 1.x/2.x) are accepted. On by default, unlike Node's server,
    /// because phpsocket.io users run those clients.
    /// </summary>
    public bool AllowEIO3 { get; set; } = true;

    /// <summary>Cross-origin rules for polling and WebSocket upgrades. Empty: same origin only.</summary>
    public EngineCorsOptions Cors { get; set; } = new();

    /// <summary>Whether WebSocket messages may be compressed with permessage-deflate. socket.io: off.</summary>
    public bool PerMessageDeflate { get; set; }

    /// <summary>Whether polling responses are gzip/deflate compressed when the client accepts it. socket.io: on.</summary>
    public bool HttpCompression { get; set; } = true;

    /// <summary>Smallest polling response, in bytes, worth compressing. socket.io: 1024.</summary>
    public int HttpCompressionThreshold { get; set; } = 1024;

    /// <summary>
    /// Decides whether a handshake request may open a session, like socket.io's <c>allowRequest</c>.
    /// A refusal answers 403 with <c>{"code":4,"message":…}</c>. Null allows every request.
    /// </summary>
    public Func<HttpContext, ValueTask<AllowRequestResult>>? AllowRequest { get; set; }

    /// <summary>
    /// Serves requests for sessions that other nodes of a cluster hold, so clients need no sticky sessions (see
    /// <see cref="Routing.ClusterSessionRouter"/>), and makes the ids of new sessions name this node. Null (the
    /// default): a sid this node does not hold is refused with <c>Session ID unknown</c>, as in socket.io.
    /// </summary>
    public Routing.IEngineSessionRouter? SessionRouter { get; set; }
}

/// <summary>Transports an Engine.IO server may offer.</summary>
[Flags]
public enum EngineTransports
{
    /// <summary>No transport.</summary>
    None = 0,
    /// <summary>HTTP long-polling (with JSONP for v3 clients).</summary>
    Polling = 1,
    /// <summary>WebSocket.</summary>
    WebSocket = 2,
}

/// <summary>Cross-origin rules applied to polling requests and WebSocket upgrades.</summary>
public sealed class EngineCorsOptions
{
    /// <summary>
    /// Origins allowed besides the server's own, exactly as browsers send them (<c>https://app.example.com</c>),
    /// or <c>*</c> for any origin. Empty (the default) allows the same origin only.
    /// </summary>
    public IList<string> Origins { get; set; } = new List<string>();

    /// <summary>
    /// Whether a page whose origin has the request's host name, on any port and with either scheme
    /// (<c>http://example.com</c> calling <c>http://example.com:2024</c>), is allowed as if it were listed. Off by
    /// default, as ASP.NET Core's CORS allows nothing it is not told to: another port of the same host may be another
    /// application. The <c>pushserver</c> executable turns it on while no origin is listed, for the layout where a
    /// website and its push server share a host name.
    /// </summary>
    public bool AllowSameHostName { get; set; }

    /// <summary>
    /// What the warning logged for a refused origin tells the operator to do; the executable names its configuration
    /// key and flag. Each distinct refused origin is logged once (up to a bound), at Warning, since a refused page is
    /// usually a deployment that is missing a setting rather than an attack.
    /// </summary>
    public string RefusedOriginAdvice { get; set; } = "list it in EngineCorsOptions.Origins to allow it";

    /// <summary>Whether cross-origin requests may carry cookies (<c>Access-Control-Allow-Credentials</c>).</summary>
    public bool Credentials { get; set; }
}

/// <summary>The verdict of <see cref="EngineIOOptions.AllowRequest"/>.</summary>
/// <param name="Allowed">Whether the handshake may proceed.</param>
/// <param name="Message">The refusal message sent to the client; <c>Forbidden</c> when null.</param>
public readonly record struct AllowRequestResult(bool Allowed, string? Message = null)
{
    /// <summary>Lets the request through.</summary>
    public static AllowRequestResult Allow => new(true);

    /// <summary>Refuses the request with <paramref name="message"/>.</summary>
    public static AllowRequestResult Deny(string? message = null) => new(false, message);
}
