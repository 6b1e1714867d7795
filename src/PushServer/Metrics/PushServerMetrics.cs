using PushServer.EngineIO;
using PushServer.SocketIO;
using Prometheus;

namespace PushServer.Metrics;

/// <summary>
/// The server's own meters, in a registry of their own (never prometheus-net's process-wide default, so two servers
/// in one process count apart). Gauges are read at scrape time from the live sessions.
/// </summary>
internal sealed class PushServerMetrics
{
    private static readonly string[] Transports = ["polling", "websocket"];
    private static readonly string[] Protocols = ["3", "4"];

    private readonly Gauge _connections;
    private readonly Gauge _sockets;
    private readonly Gauge _queueBytes;
    private readonly Gauge _draining;
    private readonly Counter _handshakes;
    private readonly Counter _packetsIn;
    private readonly Counter _packetsOut;
    // The labelled children looked up once: PacketSent runs for every packet to every recipient of a broadcast (and
    // PacketReceived for every packet in), where WithLabels would cost an array and a lookup each time.
    private readonly Counter.Child _textPacketsOut;
    private readonly Counter.Child _textPacketsIn;
    private readonly Counter.Child _binaryPacketsIn;
    private readonly Counter.Child _binaryPacketsOut;
    private readonly Counter _bytesOut;
    private readonly Counter _packetsDropped;
    private readonly Counter _disconnects;
    private readonly Counter _pushRequests;
    private readonly Counter _oversizedEmits;
    private readonly Histogram _fanOut;
    private readonly Gauge _tcpConnections;
    private readonly Gauge _tcpConnectionsMax;
    private readonly Counter _tcpRefused;
    private readonly Counter _unknownSessionRefusals;
    private readonly Counter _tcpHeaderTimeouts;
    private readonly Counter _pushConnectionsRefused;
    private readonly Counter _pushConnectionTimeouts;
    private readonly Counter _logEventsDropped;
    private readonly Counter _logEventsSuppressed;

    /// <summary>Creates the meters in <see cref="Registry"/>.</summary>
    public PushServerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _connections = factory.CreateGauge("pushserver_connections", "Open Engine.IO sessions.",
            new GaugeConfiguration { LabelNames = ["transport", "protocol"] });
        _sockets = factory.CreateGauge("pushserver_sockets", "Sockets connected, by namespace.",
            new GaugeConfiguration { LabelNames = ["namespace"] });
        _queueBytes = factory.CreateGauge("pushserver_send_queue_bytes", "Bytes queued for clients and not yet written.");
        _draining = factory.CreateGauge("pushserver_draining", "1 while the server shuts down.");
        _handshakes = factory.CreateCounter("pushserver_handshakes_total", "Engine.IO sessions opened.",
            new CounterConfiguration { LabelNames = ["transport", "protocol"] });
        _packetsIn = factory.CreateCounter("pushserver_packets_received_total", "Engine.IO message packets received.",
            new CounterConfiguration { LabelNames = ["kind"] });
        _packetsOut = factory.CreateCounter("pushserver_packets_sent_total", "Engine.IO message packets queued for clients.",
            new CounterConfiguration { LabelNames = ["kind"] });
        _textPacketsOut = _packetsOut.WithLabels("text");
        _textPacketsIn = _packetsIn.WithLabels("text");
        _binaryPacketsIn = _packetsIn.WithLabels("binary");
        _binaryPacketsOut = _packetsOut.WithLabels("binary");
        _bytesOut = factory.CreateCounter("pushserver_sent_bytes_total", "Bytes of message packets queued for clients.");
        _packetsDropped = factory.CreateCounter("pushserver_packets_dropped_total",
            "Packets not queued: volatile packets the transport could not take, or sends to closed or full sessions.");
        _disconnects = factory.CreateCounter("pushserver_disconnects_total", "Engine.IO sessions closed, by reason.",
            new CounterConfiguration { LabelNames = ["reason"] });
        _pushRequests = factory.CreateCounter("pushserver_push_requests_total", "Push API requests, by operation and HTTP status.",
            new CounterConfiguration { LabelNames = ["operation", "status"] });
        _oversizedEmits = factory.CreateCounter("pushserver_oversized_emits_total",
            "Pushes and relayed client events refused before anything was sent: once encoded, larger than any client may be sent.",
            new CounterConfiguration { LabelNames = ["source"] });
        _fanOut = factory.CreateHistogram("pushserver_broadcast_recipients", "Recipients of each push, as its answer counts them.",
            new HistogramConfiguration { Buckets = [0, 1, 10, 100, 1_000, 10_000, 100_000] });
        _tcpConnections = factory.CreateGauge("pushserver_tcp_connections", "TCP connections open on the Socket.IO port, of every kind.");
        _tcpConnectionsMax = factory.CreateGauge("pushserver_tcp_connections_max", "Server:MaxConnections as applied (0: no cap).");
        _tcpRefused = factory.CreateCounter("pushserver_tcp_connections_refused_total",
            "Connections to the Socket.IO port reset on accept because Server:MaxConnections were open.");
        _tcpHeaderTimeouts = factory.CreateCounter("pushserver_tcp_header_timeouts_total",
            "Connections to the Socket.IO port closed without a whole first request head within Server:RequestHeadersTimeout.");
        _unknownSessionRefusals = factory.CreateCounter("pushserver_unknown_session_refusals_total",
            "Engine.IO requests answered Session ID unknown (code 1): the client reconnects and its session is lost.");
        _pushConnectionsRefused = factory.CreateCounter("pushserver_push_connections_refused_total",
            "Connections to the push port closed on accept because PushApi:MaxConnections were open.");
        _pushConnectionTimeouts = factory.CreateCounter("pushserver_push_connection_timeouts_total",
            "Connections to the push port closed for sending nothing within Server:RequestHeadersTimeout of connecting.");
        _logEventsDropped = factory.CreateCounter("pushserver_log_events_dropped_total",
            "Log events dropped because the output was stuck and Logging:MaxQueuedEvents were waiting.");
        _logEventsSuppressed = factory.CreateCounter("pushserver_log_events_suppressed_total",
            "Client-caused log events past Logging:ClientEventLimit, counted in summary lines instead.");
    }

    /// <summary>The registry <c>/metrics</c> exposes.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>
    /// Open sessions by current transport name and Engine.IO protocol (<c>3</c> or <c>4</c>), counted when asked: a
    /// transport changes on upgrade, so counting at each change would need a second map of the sessions.
    /// </summary>
    public static Dictionary<(string Transport, string Protocol), int> CountByTransportAndProtocol(EngineServer engine)
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (var session in engine.OpenSessions)
        {
            var key = (session.TransportName, ProtocolLabel(session.Protocol));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    /// <summary>
    /// Reads the live gauges from <paramref name="engine"/>, <paramref name="io"/> and the <paramref name="listeners"/>'
    /// connection limits, and the log pipeline's counts from <paramref name="log"/>, before each scrape.
    /// </summary>
    public void Observe(
        EngineServer engine, SocketIOServer io, Hosting.DrainState drain, Hosting.ListenerEndpoints listeners,
        Logging.LogPipelineStats log)
    {
        var connections = listeners.SocketIOLimits;
        Registry.AddBeforeCollectCallback(() =>
        {
            _pushConnectionsRefused.IncTo(listeners.PushLimits?.RefusedConnections ?? 0);
            _pushConnectionTimeouts.IncTo(listeners.PushLimits?.TimedOutConnections ?? 0);
            _tcpConnections.Set(connections.OpenConnections);
            _tcpConnectionsMax.Set(connections.MaxConnections);
            _tcpRefused.IncTo(connections.RefusedConnections);
            _tcpHeaderTimeouts.IncTo(connections.TimedOutConnections);
            _unknownSessionRefusals.IncTo(engine.UnknownSessionRefusals);
            var counts = CountByTransportAndProtocol(engine);
            foreach (var transport in Transports)
            {
                foreach (var protocol in Protocols)
                {
                    _connections.WithLabels(transport, protocol).Set(counts.GetValueOrDefault((transport, protocol)));
                }
            }
            foreach (var nsp in io.Namespaces)
            {
                _sockets.WithLabels(nsp.Name).Set(nsp.Sockets.Count);
            }
            _queueBytes.Set(engine.OutboundQueueBytes);
            _draining.Set(drain.IsDraining ? 1 : 0);
            _logEventsDropped.IncTo(log.Dropped);
            _logEventsSuppressed.IncTo(log.Suppressed);
        });
    }

    internal void SessionOpened(string transport, EngineProtocolVersion protocol) =>
        _handshakes.WithLabels(transport, ProtocolLabel(protocol)).Inc();

    internal void PacketReceived(bool binary) => (binary ? _binaryPacketsIn : _textPacketsIn).Inc();

    internal void PacketSent(EnginePacket packet, bool queued)
    {
        if (!queued)
        {
            _packetsDropped.Inc();
            return;
        }
        (packet.IsBinary ? _binaryPacketsOut : _textPacketsOut).Inc();
        _bytesOut.Inc(packet.Size);
    }

    internal void SessionClosed(EngineCloseReason reason) => _disconnects.WithLabels(reason.ToReasonString()).Inc();

    /// <summary>Counts a push request and, when it selected sockets, its fan-out.</summary>
    public void PushRequest(string operation, int status, int? recipients)
    {
        _pushRequests.WithLabels(operation, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        if (recipients is { } n)
        {
            _fanOut.Observe(n);
        }
    }

    /// <summary>Counts an emit refused for its size; <paramref name="source"/> is <c>push</c> or <c>relay</c>.</summary>
    public void OversizedEmit(string source) => _oversizedEmits.WithLabels(source).Inc();

    internal static string ProtocolLabel(EngineProtocolVersion protocol) => protocol == EngineProtocolVersion.V3 ? "3" : "4";
}
