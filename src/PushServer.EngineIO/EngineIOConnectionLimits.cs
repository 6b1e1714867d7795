using Microsoft.Extensions.Logging;
using PushServer.EngineIO.ConnectionLevelWebSockets;

namespace PushServer.EngineIO;

/// <summary>
/// What one listener that accepts Engine.IO WebSockets (see
/// <see cref="EngineIOConnectionBuilderExtensions.UseEngineIOWebSockets"/>) lets a TCP connection hold, and how often
/// those limits acted. Every connection counts, whatever it turns out to be (WebSocket, polling, a page, a refusal),
/// from the moment it is accepted until it is closed.
/// <code>
/// var limits = new EngineIOConnectionLimits { MaxConnections = 15_000 };
/// kestrel.ListenAnyIP(3000, o =&gt; o.UseEngineIOWebSockets("/socket.io", () =&gt; engine, limits: limits));
/// </code>
/// </summary>
public sealed class EngineIOConnectionLimits
{
    /// <summary>
    /// 10 s, where Node's <c>server.headersTimeout</c> is 60 s: every client of this server sends its whole request
    /// head (a few hundred bytes) in its first packets, 10 s is what socket.io gives a WebSocket upgrade to finish,
    /// and each connection that never sends one holds a place under <see cref="MaxConnections"/> until then.
    /// </summary>
    public static readonly TimeSpan DefaultRequestHeadersTimeout = TimeSpan.FromSeconds(10);

    private int _maxConnections;
    private TimeSpan _requestHeadersTimeout = DefaultRequestHeadersTimeout;
    private int _open;
    private long _refused;
    private long _timedOut;
    private ListenerTally _timeoutsToLog;

    /// <summary>
    /// Most connections open at once; one accepted past it is closed at once (reset, without reading from it), so a
    /// flood of connections never takes the process to its open-file limit. 0 (the default): no cap. Read at each
    /// accept, so it may be set after the listener started.
    /// </summary>
    public int MaxConnections
    {
        get => Volatile.Read(ref _maxConnections);
        set => Volatile.Write(ref _maxConnections, value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxConnections must be 0 (no cap) or positive."));
    }

    /// <summary>
    /// How long after it was accepted a connection may take to send its whole first request head; past it the
    /// connection is closed. Counted from the accept, not from the last byte: a client that sends one byte a second
    /// gains nothing. Requests after the first on a kept-alive connection are Kestrel's
    /// (<c>KestrelServerLimits.RequestHeadersTimeout</c>). Default <see cref="DefaultRequestHeadersTimeout"/>.
    /// </summary>
    public TimeSpan RequestHeadersTimeout
    {
        get => _requestHeadersTimeout;
        set => _requestHeadersTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "RequestHeadersTimeout must be positive.");
    }

    /// <summary>Connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Connections closed at once because <see cref="MaxConnections"/> were open, since start.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    /// <summary>Connections closed because <see cref="RequestHeadersTimeout"/> passed before their request head was whole, since start.</summary>
    public long TimedOutConnections => Interlocked.Read(ref _timedOut);

    /// <summary>Counts a newly accepted connection in; false (and counted as refused) when the cap is reached.</summary>
    internal bool TryOpen()
    {
        var max = MaxConnections;
        if (Interlocked.Increment(ref _open) <= max || max == 0)
        {
            return true;
        }
        Interlocked.Decrement(ref _open);
        Interlocked.Increment(ref _refused);
        EngineMetrics.Limit("max_connections");
        return false;
    }

    /// <summary>Counts a connection out once it is closed.</summary>
    internal void Closed() => Interlocked.Decrement(ref _open);

    /// <summary>Counts a connection closed by <see cref="RequestHeadersTimeout"/>, and logs now and then how many were.</summary>
    internal void HeadTimedOut(ILogger logger)
    {
        Interlocked.Increment(ref _timedOut);
        EngineMetrics.Limit("request_headers_timeout");
        if (_timeoutsToLog.Add(Environment.TickCount64) is { } count)
        {
            EngineLog.RequestHeadsTimedOut(logger, count, RequestHeadersTimeout);
        }
    }
}
