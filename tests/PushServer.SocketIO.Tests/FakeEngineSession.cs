namespace PushServer.SocketIO.Tests;

/// <summary>
/// An in-memory Engine.IO session: records every packet sent to the client and plays the engine's part towards
/// the handler (opened, messages in order, closed once, after the message being handled).
/// </summary>
public sealed class FakeEngineSession : IEngineSession
{
    private static int s_counter;
    private readonly IEngineConnectionHandler _handler;
    private readonly Lock _lock = new();
    private readonly List<EnginePacket> _sent = [];
    private int _depth;
    private bool _closeNotified;

    public FakeEngineSession(IEngineConnectionHandler handler, EngineProtocolVersion protocol = EngineProtocolVersion.V4, string? id = null)
    {
        _handler = handler;
        Protocol = protocol;
        Id = id ?? $"engineSid{Interlocked.Increment(ref s_counter):D11}";
        Handshake = new EngineHandshake(
            new Dictionary<string, string> { ["host"] = "127.0.0.1", ["user-agent"] = "test" },
            new Dictionary<string, string> { ["EIO"] = protocol == EngineProtocolVersion.V4 ? "4" : "3", ["transport"] = "websocket" },
            "127.0.0.1",
            false,
            "/socket.io/?EIO=4&transport=websocket",
            DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    }

    public string Id { get; }

    public EngineProtocolVersion Protocol { get; }

    public string TransportName => "websocket";

    public EngineHandshake Handshake { get; }

    public bool IsOpen { get; private set; } = true;

    public object? State { get; set; }

    /// <summary>When false, volatile sends are dropped, as for a transport that cannot write right now.</summary>
    public bool Writable { get; set; } = true;

    public EngineCloseReason? ClosedWith { get; private set; }

    /// <summary>Every packet sent so far.</summary>
    public IReadOnlyList<EnginePacket> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Sent packets as text: Socket.IO packets as is, binary ones as <c>&lt;binary 01 02&gt;</c>.</summary>
    public IReadOnlyList<string> Frames => Sent.Select(Describe).ToList();

    /// <summary>The sent Socket.IO text packets only.</summary>
    public IReadOnlyList<string> Texts => Sent.Where(p => !p.IsBinary).Select(Describe).ToList();

    public static string Describe(EnginePacket p) =>
        p.IsBinary ? "<binary " + Convert.ToHexString(p.Data.Span) + ">" : Encoding.UTF8.GetString(p.Data.Span);

    public void ClearSent()
    {
        lock (_lock)
        {
            _sent.Clear();
        }
    }

    public bool Send(EnginePacket packet)
    {
        lock (_lock)
        {
            if (!IsOpen)
            {
                return false;
            }
            _sent.Add(packet);
            return true;
        }
    }

    public bool SendVolatile(EnginePacket packet) => Writable && Send(packet);

    public void Close(EngineCloseReason reason = EngineCloseReason.ForcedClose)
    {
        lock (_lock)
        {
            if (!IsOpen)
            {
                return;
            }
            IsOpen = false;
            ClosedWith = reason;
        }
        if (Volatile.Read(ref _depth) == 0)
        {
            NotifyClosed();
        }
    }

    /// <summary>The transport went away on the client's side (or the heartbeat failed).</summary>
    public void Drop(EngineCloseReason reason)
    {
        lock (_lock)
        {
            IsOpen = false;
            ClosedWith = reason;
        }
        NotifyClosed();
    }

    public async Task OpenAsync() => await Deliver(() => _handler.OnOpenedAsync(this));

    public Task ReceiveAsync(string socketIOPacket) =>
        Deliver(() => _handler.OnTextAsync(this, Encoding.UTF8.GetBytes(socketIOPacket)));

    public Task ReceiveBinaryAsync(params byte[] data) => Deliver(() => _handler.OnBinaryAsync(this, data.ToArray()));

    private async Task Deliver(Func<ValueTask> call)
    {
        if (!IsOpen)
        {
            return;
        }
        Interlocked.Increment(ref _depth);
        try
        {
            await call();
        }
        finally
        {
            Interlocked.Decrement(ref _depth);
        }
        if (!IsOpen)
        {
            NotifyClosed();
        }
    }

    private void NotifyClosed()
    {
        lock (_lock)
        {
            if (_closeNotified)
            {
                return;
            }
            _closeNotified = true;
        }
        _handler.OnClosed(this, ClosedWith!.Value);
    }
}
