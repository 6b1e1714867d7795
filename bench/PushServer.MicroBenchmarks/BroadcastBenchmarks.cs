using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using PushServer.EngineIO;
using PushServer.SocketIO;
using PushServer.SocketIO.Adapters;

namespace PushServer.MicroBenchmarks;

/// <summary>
/// <c>io.Emit("chat message", text)</c> to every socket of <c>/</c>, through the in-memory adapter, up to the
/// Engine.IO session's Send. Sessions here only count: this measures selection, encoding (once) and queueing, not
/// the sockets. Allocated bytes per operation must not grow with <see cref="Recipients"/>.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks
{
    private SocketIOServer _io = null!;

    [Params(1_000, 10_000)]
    public int Recipients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _io = new SocketIOServer(Options.Create(new SocketIOOptions()), new InMemoryAdapterFactory(), TimeProvider.System);
        for (var i = 0; i < Recipients; i++)
        {
            var session = new CountingSession($"session{i:D12}");
            _io.ConnectionHandler.OnOpenedAsync(session).AsTask().GetAwaiter().GetResult();
            _io.ConnectionHandler.OnTextAsync(session, "0"u8.ToArray()).AsTask().GetAwaiter().GetResult();
        }
    }

    [Benchmark]
    public bool EmitToAll() => _io.Emit("chat message", "hello from the push API");

    /// <summary>A session that accepts every packet and only counts it.</summary>
    private sealed class CountingSession(string id) : IEngineSession
    {
        public string Id { get; } = id;

        public EngineProtocolVersion Protocol => EngineProtocolVersion.V4;

        public string TransportName => "websocket";

        public EngineHandshake Handshake { get; } = new(
            new Dictionary<string, string>(), new Dictionary<string, string>(), "127.0.0.1", false, "/socket.io/", DateTimeOffset.UnixEpoch);

        public bool IsOpen => true;

        public object? State { get; set; }

        public long Sent { get; private set; }

        public bool Send(EnginePacket packet)
        {
            Sent++;
            return true;
        }

        public bool SendVolatile(EnginePacket packet) => Send(packet);

        public void Close(EngineCloseReason reason = EngineCloseReason.ForcedClose)
        {
        }
    }
}
