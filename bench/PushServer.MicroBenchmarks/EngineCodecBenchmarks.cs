using System.Buffers;
using BenchmarkDotNet.Attributes;
using PushServer.EngineIO;
using PushServer.EngineIO.Protocol;

namespace PushServer.MicroBenchmarks;

/// <summary>Engine.IO framing: one WebSocket message in, and a long-poll payload of ten packets out, v4 and v3.</summary>
[MemoryDiagnoser]
public class EngineCodecBenchmarks
{
    private readonly byte[] _message = "42[\"chat message\",\"hello\"]"u8.ToArray();
    private readonly List<EnginePacket> _packets = [.. Enumerable.Range(0, 10).Select(i => EnginePacket.Text($"2[\"chat message\",\"hello {i}\"]"))];
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private byte[] _payloadV4 = [];
    private readonly List<InboundPacket> _decoded = new(16);

    [GlobalSetup]
    public void Setup()
    {
        PayloadEncoder.EncodeV4(_packets, _output);
        _payloadV4 = _output.WrittenSpan.ToArray();
    }

    [Benchmark]
    public bool DecodeWebSocketMessage() => PacketDecoder.TryDecodeText(_message, EngineProtocolVersion.V4, out _);

    [Benchmark]
    public int EncodePollPayloadV4()
    {
        _output.ResetWrittenCount();
        PayloadEncoder.EncodeV4(_packets, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int EncodePollPayloadV3()
    {
        _output.ResetWrittenCount();
        PayloadEncoder.EncodeV3Text(_packets, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int DecodePollPayloadV4()
    {
        _decoded.Clear();
        PayloadDecoder.TryDecodeV4(_payloadV4, _decoded);
        return _decoded.Count;
    }
}
