using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PushServer.SocketIO;
using PushServer.SocketIO.Protocol;

namespace PushServer.MicroBenchmarks;

/// <summary>Socket.IO packets: encoding an event with a string argument, decoding a client event with an ack id.</summary>
[MemoryDiagnoser]
public class SocketIOCodecBenchmarks
{
    private readonly JsonSerializerOptions _json = SocketIOJson.CreateSerializerOptions(null);
    private readonly object?[] _args = ["hello from the push API"];
    private readonly ReadOnlyMemory<byte> _clientEvent = "21[\"chat message\",\"hi\"]"u8.ToArray();
    private readonly SocketIOPacketDecoder _decoder = new(maxAttachments: 10, maxJsonDepth: 32);

    [Benchmark]
    public int EncodeEvent() => SocketIOPacketEncoder.EncodeMessage("/", "chat message", _args, -1, _json).Text.Size;

    [Benchmark]
    public bool DecodeEventWithAck() => _decoder.DecodeText(_clientEvent, out _, out _) == DecodeStatus.Complete;
}
