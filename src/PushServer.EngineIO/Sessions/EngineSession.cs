using Microsoft.Extensions.Logging;
using PushServer.EngineIO.Protocol;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO.Sessions;

/// <summary>
/// One Engine.IO session: its outbound queue, heartbeat, state and the transport that carries it now.
/// Transports feed it decoded packets; it passes messages up to the <see cref="IEngineConnectionHandler"/>.
/// </summary>
internal sealed partial class EngineSession : IEngineSession, IDeadlineOwner
{
    private readonly OutboundQueue _queue = new();
    private readonly Lock _sync = new();
    private readonly EngineIOOptions _options;
    private readonly IEngineConnectionHandler _handler;
    private readonly EngineSessionStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DeadlineSlot _heartbeat;
    private long _queuedBytes;
    private SessionState _state = SessionState.Open;
    private ISessionTransport _transport = null!;
    private bool _awaitingPong;
    private bool _delivering;
    private EngineCloseReason? _closeToNotify;
    private bool _closeNotified;
    private ITimer? _closeDeadline;
    private ITimer? _lingerTimer;
    private double _inboundTokens = double.NaN;
    private long _inboundRefilledAt;
    // Completed, then dropped, once the handler has heard of the session: an open session keeps no task.
    private TaskCompletionSource? _opening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EngineSession(
        string id,
        EngineProtocolVersion protocol,
        bool supportsBinary,
        EngineHandshake handshake,
        EngineIOOptions options,
        IEngineConnectionHandler handler,
        EngineSessionStore store,
        TimeProvider time,
        ILogger logger)
    {
        Id = id;
        Protocol = protocol;
        SupportsBinary = supportsBinary;
        Handshake = handshake;
        _options = options;
        _handler = handler;
        _store = store;
        _time = time;
        _logger = logger;
    }

    public string Id { get; }

    public EngineProtocolVersion Protocol { get; }

    /// <summary>False when the client asked for base64 (<c>b64=1</c>): binary then travels as text.</summary>
    public bool SupportsBinary { get; }

    public EngineHandshake Handshake { get; }

    public string TransportName => _transport.Name;

    public bool IsOpen => _state == SessionState.Open;

    public object? State { get; set; }

    internal SessionState CurrentState => _state;

    internal ISessionTransport Transport => _transport;

    internal EngineIOOptions Options => _options;

    internal EngineSessionStore Store => _store;

    internal TimeProvider Time => _time;

    internal ILogger Logger => _logger;

    /// <summary>The packet a poll still waiting when the session was torn down receives (noop or close).</summary>
    internal EnginePacket FinalPollPacket { get; private set; } = EnginePacket.Close;

    /// <summary>True when nothing waits in the outbound queue.</summary>
    internal bool IsQueueEmpty => _queue.IsEmpty;

    /// <summary>True once the session closed its outbound queue: the transport delivers what is left, then the close.</summary>
    internal bool IsQueueCompleted => _queue.IsCompleted;

    /// <summary>Bytes queued for the client and not yet handed to the transport.</summary>
    internal long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Attaches the first transport and starts the heartbeat. Called once, before the handshake answer.</summary>
    internal void Start(ISessionTransport transport)
    {
        _transport = transport;
        _store.Add(this);
        // v4: the server pings every pingInterval. v3: the client pings, and silence for
        // pingInterval + pingTimeout means it is gone.
        var firstDeadline = Protocol == EngineProtocolVersion.V4 ? _options.PingInterval : _options.PingInterval + _options.PingTimeout;
        _store.Deadlines.Set(this, firstDeadline);
        EngineLog.SessionOpened(_logger, Id, (int)Protocol, transport.Name);
    }

    public bool Send(EnginePacket packet) => Send(packet, SendMode.QueueToThreadPool);

    /// <summary>Queues <paramref name="packet"/>; the transport writes it where <paramref name="mode"/> says.</summary>
    internal bool Send(EnginePacket packet, SendMode mode)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (_state != SessionState.Open)
        {
            return false;
        }
        // The cap bounds the backlog a packet waits behind, not the packet: one that finds less than the cap queued
        // ahead of it is taken whatever its size, so a client that keeps reading is never dropped for one large
        // packet, and a session holds at most the cap plus one packet.
        var ahead = Interlocked.Add(ref _queuedBytes, packet.Size) - packet.Size;
        if (ahead >= _options.MaxOutboundQueueBytes)
        {
            Interlocked.Add(ref _queuedBytes, -packet.Size);
            EngineLog.OutboundQueueFull(_logger, Id, _options.MaxOutboundQueueBytes);
            DropSlowConsumer(EngineCloseReason.OutboundQueueFull);
            return false;
        }
        if (!_queue.TryEnqueue(packet))
        {
            // Closed between the state check and here.
            Interlocked.Add(ref _queuedBytes, -packet.Size);
            return false;
        }
        // Inside a broadcast's fan-out scope the scope starts the writer, from a work item per slice of recipients.
        if (mode != SendMode.QueueToThreadPool || !EngineFanOut.TryDefer(this))
        {
            _transport.OnQueueSignal(mode);
        }
        return true;
    }

    /// <summary>Starts the transport's writer for what is queued; see <see cref="EngineFanOut"/>.</summary>
    internal void SignalQueued(SendMode mode) => _transport.OnQueueSignal(mode);

    public bool SendVolatile(EnginePacket packet)
    {
        if (!_transport.IsWritableNow || Interlocked.Read(ref _queuedBytes) > 0)
        {
            return false;
        }
        return Send(packet);
    }

    /// <summary>
    /// Ends the session of a client that stopped reading: no goodbye is queued behind what it does not read, the
    /// queue is thrown away (so its memory goes at once) and the transport drops the connection. The layer above
    /// hears <paramref name="reason"/>.
    /// </summary>
    internal void DropSlowConsumer(EngineCloseReason reason)
    {
        EngineMetrics.SlowConsumer(reason);
        Abort(reason);
        DrainQueue();
        _transport.Drop();
    }

    /// <summary>Takes the next queued packet, releasing its bytes from the cap.</summary>
    internal bool TryDequeue(out EnginePacket packet)
    {
        if (_queue.TryDequeue(out packet))
        {
            Interlocked.Add(ref _queuedBytes, -packet.Size);
            return true;
        }
        return false;
    }

    /// <summary>Takes every queued packet.</summary>
    internal List<EnginePacket> DrainQueue()
    {
        var packets = new List<EnginePacket>();
        while (TryDequeue(out var packet))
        {
            packets.Add(packet);
        }
        return packets;
    }

    /// <summary>
    /// Server-side close: the layer above hears of it now, while the transport first delivers what was queued
    /// and then the close (a polling session waits up to PollingCloseTimeout for the client's next GET).
    /// </summary>
    public void Close(EngineCloseReason reason = EngineCloseReason.ForcedClose)
    {
        lock (_sync)
        {
            if (_state != SessionState.Open)
            {
                return;
            }
            _state = SessionState.Closing;
            // The heartbeat keeps running, as engine.io's ping timer does while a socket is closing: a polling client
            // that is gone never fetches the close, and the session must still end at PingInterval + PingTimeout,
            // not only after PollingCloseTimeout.
            _closeDeadline = _time.CreateTimer(static s => ((EngineSession)s!).Finish(), this, _options.PollingCloseTimeout, Timeout.InfiniteTimeSpan);
        }
        EngineLog.SessionClosing(_logger, Id, reason.ToReasonString());
        CloseUpgradeAttempt();
        NotifyClosed(reason);
        _queue.Complete();
        _transport.OnQueueSignal();
        _transport.OnSessionClosed();
    }

    /// <summary>
    /// Close decided by the transport or the client (client close packet, dropped connection, protocol error):
    /// the session is gone at once, and a poll still waiting gets <paramref name="finalPollPacket"/>.
    /// </summary>
    internal void Abort(EngineCloseReason reason, EnginePacket? finalPollPacket = null)
    {
        lock (_sync)
        {
            if (_state == SessionState.Closed)
            {
                return;
            }
            _state = SessionState.Closed;
            FinalPollPacket = finalPollPacket ?? EnginePacket.Close;
            _store.Deadlines.Clear(this);
        }
        if (ReferenceEquals(FinalPollPacket, EnginePacket.Noop) && _transport is PollingTransport { IsWritableNow: false })
        {
            // The client said goodbye in a POST while its next GET may still be on the way over another
            // connection: that GET gets the noop it would have had, if it comes within a moment.
            _lingerTimer = _time.CreateTimer(static s => ((EngineSession)s!).Forget(), this, ClientCloseLinger, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _store.Remove(this);
        }
        EngineLog.SessionClosed(_logger, Id, reason.ToReasonString());
        CloseUpgradeAttempt();
        NotifyClosed(reason);
        _queue.Complete();
        _transport.OnQueueSignal();
        _transport.OnSessionClosed();
        DisposeTimers();
    }

    /// <summary>The transport delivered the close after a server-side <see cref="Close"/>: forget the session.</summary>
    internal void Finish()
    {
        Forget();
        lock (_sync)
        {
            if (_state == SessionState.Closed)
            {
                return;
            }
            _state = SessionState.Closed;
        }
        EngineLog.SessionClosed(_logger, Id, "closed");
        _transport.OnSessionClosed();
        DisposeTimers();
    }

    ref DeadlineSlot IDeadlineOwner.Deadline => ref _heartbeat;

    void IDeadlineOwner.OnDeadline(long due) => OnHeartbeatTimer(due);

    private void DisposeTimers()
    {
        _store.Deadlines.Clear(this);
        _closeDeadline?.Dispose();
    }

    /// <summary>Drops a closed session from the store once nothing more can be delivered to it.</summary>
    private void Forget()
    {
        _store.Remove(this);
        _lingerTimer?.Dispose();
    }

    /// <summary>How long a session closed by the client's POST stays findable for a GET sent at the same time.</summary>
    private static readonly TimeSpan ClientCloseLinger = TimeSpan.FromSeconds(1);

    private void NotifyClosed(EngineCloseReason reason)
    {
        lock (_sync)
        {
            if (_closeNotified || _closeToNotify is not null)
            {
                return;
            }
            if (_delivering)
            {
                // The handler is inside a message callback: tell it once that returns, never concurrently.
                _closeToNotify = reason;
                return;
            }
            _closeNotified = true;
        }
        InvokeOnClosed(reason);
    }

    private void InvokeOnClosed(EngineCloseReason reason)
    {
        try
        {
            _handler.OnClosed(this, reason);
        }
        catch (Exception ex)
        {
            EngineLog.HandlerFailed(_logger, ex, Id, nameof(IEngineConnectionHandler.OnClosed));
        }
    }
}
