using System.Net;
using System.Net.Sockets;
using PushServer.EngineIO;

namespace PushServer.Configuration;

/// <summary>
/// Engine.IO settings as configured (section <c>EngineIO</c>): durations in milliseconds and transports by name,
/// as socket.io's own options are written. <see cref="ApplyTo"/> maps them onto <see cref="EngineIOOptions"/>.
/// </summary>
internal sealed class EngineIOSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "EngineIO";

    private static readonly EngineIOOptions Defaults = new();

    /// <summary>socket.io's <c>pingInterval</c> in ms (25000).</summary>
    public int PingInterval { get; set; } = (int)Defaults.PingInterval.TotalMilliseconds;

    /// <summary>socket.io's <c>pingTimeout</c> in ms (20000).</summary>
    public int PingTimeout { get; set; } = (int)Defaults.PingTimeout.TotalMilliseconds;

    /// <summary>socket.io's <c>upgradeTimeout</c> in ms (10000).</summary>
    public int UpgradeTimeout { get; set; } = (int)Defaults.UpgradeTimeout.TotalMilliseconds;

    /// <summary>ms a heartbeat or write deadline may fire late to share a timer wake-up with others (20; 0: each at its time).</summary>
    public int TimerCoalescing { get; set; } = (int)Defaults.TimerCoalescing.TotalMilliseconds;

    /// <summary>socket.io's <c>maxHttpBufferSize</c> in bytes (1e6).</summary>
    public int MaxHttpBufferSize { get; set; } = Defaults.MaxHttpBufferSize;

    /// <summary>Bytes a slow client may have queued before it is disconnected (1 MiB).</summary>
    public long MaxOutboundQueueBytes { get; set; } = Defaults.MaxOutboundQueueBytes;

    /// <summary>ms one WebSocket write may take before the client is dropped as too slow (30000); 0 waits forever, as socket.io.</summary>
    public int WebSocketSendTimeout { get; set; } = (int)Defaults.WebSocketSendTimeout.TotalMilliseconds;

    /// <summary>Most Engine.IO sessions open at once (100000); a handshake past it gets 503.</summary>
    public int MaxSessions { get; set; } = Defaults.MaxSessions;

    /// <summary>Most WebSocket connections open at once, upgrades included (100000); one past it gets 503.</summary>
    public int MaxWebSocketConnections { get; set; } = Defaults.MaxWebSocketConnections;

    /// <summary>Handshakes one client address may make per second (0: off, since behind a proxy all clients share its address).</summary>
    public int MaxHandshakesPerSecondPerIp { get; set; } = Defaults.MaxHandshakesPerSecondPerIp;

    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c> names the client, as addresses (<c>10.0.0.5</c>) or ranges
    /// (<c>10.0.0.0/8</c>). Empty: the header is ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Sustained packets per second one session may send (1000; 0: off); past it the session closes.</summary>
    public int MaxInboundPacketsPerSecond { get; set; } = Defaults.MaxInboundPacketsPerSecond;

    /// <summary>Packets one session may send in a burst above the sustained rate (2000).</summary>
    public int InboundPacketBurst { get; set; } = Defaults.InboundPacketBurst;

    /// <summary>Bytes all WebSocket connections together may hold in unfinished (fragmented) messages (64 MiB).</summary>
    public long MaxPendingWebSocketBytes { get; set; } = Defaults.MaxPendingWebSocketBytes;

    /// <summary>Both transports, as socket.io.</summary>
    public static readonly IReadOnlyList<string> DefaultTransports = ["polling", "websocket"];

    /// <summary>
    /// Enabled transports: <c>polling</c>, <c>websocket</c>. Empty until bound, because the configuration binder appends
    /// to a list it finds filled; none configured means <see cref="DefaultTransports"/>.
    /// </summary>
    public List<string> Transports { get; set; } = [];

    /// <summary>Whether polling sessions may upgrade to WebSocket.</summary>
    public bool AllowUpgrades { get; set; } = Defaults.AllowUpgrades;

    /// <summary>Whether socket.io 1.x/2.x clients (Engine.IO v3) are accepted.</summary>
    public bool AllowEIO3 { get; set; } = Defaults.AllowEIO3;

    /// <summary>Cross-origin rules.</summary>
    public CorsSettings Cors { get; set; } = new();

    /// <summary>Whether WebSocket messages may be compressed.</summary>
    public bool PerMessageDeflate { get; set; } = Defaults.PerMessageDeflate;

    /// <summary>Whether polling responses may be compressed.</summary>
    public bool HttpCompression { get; set; } = Defaults.HttpCompression;

    /// <summary>Copies the settings onto the library options.</summary>
    public void ApplyTo(EngineIOOptions options)
    {
        options.PingInterval = TimeSpan.FromMilliseconds(PingInterval);
        options.PingTimeout = TimeSpan.FromMilliseconds(PingTimeout);
        options.UpgradeTimeout = TimeSpan.FromMilliseconds(UpgradeTimeout);
        options.TimerCoalescing = TimeSpan.FromMilliseconds(TimerCoalescing);
        options.MaxHttpBufferSize = MaxHttpBufferSize;
        options.MaxOutboundQueueBytes = MaxOutboundQueueBytes;
        options.WebSocketSendTimeout = WebSocketSendTimeout == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(WebSocketSendTimeout);
        options.MaxSessions = MaxSessions;
        options.MaxWebSocketConnections = MaxWebSocketConnections;
        options.MaxHandshakesPerSecondPerIp = MaxHandshakesPerSecondPerIp;
        options.TrustedProxies = [.. TrustedProxies.Select(ParseNetwork).OfType<IPNetwork>()];
        options.MaxInboundPacketsPerSecond = MaxInboundPacketsPerSecond;
        options.InboundPacketBurst = InboundPacketBurst;
        options.MaxPendingWebSocketBytes = MaxPendingWebSocketBytes;
        options.Transports = ParseTransports(Transports);
        options.AllowUpgrades = AllowUpgrades;
        options.AllowEIO3 = AllowEIO3;
        options.Cors = new EngineCorsOptions
        {
            Origins = [.. Cors.Origins],
            Credentials = Cors.Credentials,
            // phpsocket.io allows every origin; a page from the website on the push server's host (another port) is
            // its usual layout, so that is allowed until a list says exactly which origins may come.
            AllowSameHostName = Cors.Origins.Count == 0,
            RefusedOriginAdvice = RefusedOriginAdvice,
        };
        options.PerMessageDeflate = PerMessageDeflate;
        options.HttpCompression = HttpCompression;
    }

    /// <summary>What the log tells the operator when a page's origin is refused.</summary>
    public const string RefusedOriginAdvice =
        "to allow it, list it in EngineIO:Cors:Origins or pass --cors-origin (a list replaces the default, which allows pages from this host name on any port, so list them all)";

    /// <summary>
    /// An address (<c>10.0.0.5</c>, <c>::1</c>: that one address) or a range (<c>10.0.0.0/8</c>); null when it is neither
    /// (validation reports it).
    /// </summary>
    public static IPNetwork? ParseNetwork(string text)
    {
        text = text.Trim();
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }
        return !text.Contains('/') && IPAddress.TryParse(text, out var address)
            ? new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }

    /// <summary>The transport flags named in <paramref name="names"/>; unknown names are ignored (validation reports them).</summary>
    public static EngineTransports ParseTransports(IEnumerable<string> names)
    {
        var result = EngineTransports.None;
        foreach (var name in names)
        {
            result |= name.Trim().ToLowerInvariant() switch
            {
                "polling" => EngineTransports.Polling,
                "websocket" => EngineTransports.WebSocket,
                _ => EngineTransports.None,
            };
        }
        return result;
    }
}

/// <summary>Cross-origin settings (section <c>EngineIO:Cors</c>).</summary>
internal sealed class CorsSettings
{
    /// <summary>
    /// Allowed origins besides the server's own, or <c>*</c>. Empty: pages from the request's host name on any port
    /// and scheme (a website and its push server on one host); a list allows exactly those.
    /// </summary>
    public List<string> Origins { get; set; } = [];

    /// <summary>Whether cross-origin requests may carry cookies.</summary>
    public bool Credentials { get; set; }
}
