using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PushServer.EngineIO.Sessions;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO.Tests.Transports;

/// <summary>
/// Where the WebSocket transport writes what a send queued: on the caller's thread when the session asks for it (the
/// heartbeat), on the thread pool otherwise, so a broadcast never waits for one socket. The frames go to a writer that
/// records them, as a connection-level WebSocket's connection takes them.
/// </summary>
public sealed class WebSocketTransportSendModeTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly EngineIOOptions _options = new() { PingInterval = TimeSpan.FromSeconds(25), PingTimeout = TimeSpan.FromSeconds(20) };
    private readonly RecordingFrames _frames = new();
    private readonly WebSocket _socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });
    private readonly EngineSession _session;

    public WebSocketTransportSendModeTests()
    {
        var store = new EngineSessionStore(_time, TimeSpan.Zero);
        var handshake = new EngineHandshake(
            new Dictionary<string, string>(), new Dictionary<string, string>(), "127.0.0.1", false, "/engine.io/", DateTimeOffset.UnixEpoch);
        _session = new EngineSession(
            "session", EngineProtocolVersion.V4, supportsBinary: true, handshake, _options, new RecordingHandler(), store, _time, NullLogger.Instance);
        _session.Start(new WebSocketTransport(_socket, _session, _frames));
    }

    public void Dispose()
    {
        _session.Abort(EngineCloseReason.ForcedClose);
        _socket.Dispose();
    }

    [Fact]
    public void The_heartbeat_writes_its_ping_on_the_timer_thread_before_the_timer_returns()
    {
        _time.Advance(_options.PingInterval);

        Assert.Equal(1, _frames.Count);
        Assert.Equal("2", System.Text.Encoding.ASCII.GetString(_frames.LastFrame.AsSpan(2)));
        Assert.Equal(Environment.CurrentManagedThreadId, _frames.LastThreadId);
    }

    [Fact]
    public async Task A_send_queued_to_the_thread_pool_returns_before_the_socket_takes_the_frame()
    {
        _frames.Gate.Reset();

        Assert.True(_session.Send(EnginePacket.Text("hello"), SendMode.QueueToThreadPool));

        // Written inline, the send would have waited for the gate and the frame would be there already.
        Assert.Equal(0, _frames.Count);
        _frames.Gate.Set();
        await _frames.Written.Task.WaitAsync(TestTimeouts.Default);
        Assert.Equal("4hello", System.Text.Encoding.ASCII.GetString(_frames.LastFrame.AsSpan(2)));
    }

    [Fact]
    public void A_send_written_on_the_calling_thread_allocates_nothing()
    {
        var packet = EnginePacket.Text("hello");
        for (var i = 0; i < 10; i++)
        {
            _session.Send(packet, SendMode.WriteOnCallingThread);
        }
        _frames.KeepsFrames = false;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _session.Send(packet, SendMode.WriteOnCallingThread);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(110, _frames.Count);
        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// Takes every frame at once, noting the thread; <see cref="Gate"/> holds a write back while reset. The last frame's
    /// bytes are copied only while <see cref="KeepsFrames"/>, so that counting allocates nothing.
    /// </summary>
    private sealed class RecordingFrames : IWebSocketFrameWriter
    {
        private int _count;

        public ManualResetEventSlim Gate { get; } = new(initialState: true);

        public bool KeepsFrames { get; set; } = true;

        public int Count => Volatile.Read(ref _count);

        public int LastThreadId { get; private set; }

        public byte[]? LastFrame { get; private set; }

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask WriteDataFrameAsync(ReadOnlyMemory<byte> frame)
        {
            Gate.Wait(TestTimeouts.Default);
            LastThreadId = Environment.CurrentManagedThreadId;
            if (KeepsFrames)
            {
                LastFrame = frame.ToArray();
            }
            Interlocked.Increment(ref _count);
            Written.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
