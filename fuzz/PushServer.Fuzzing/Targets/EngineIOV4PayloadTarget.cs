using PushServer.EngineIO;
using PushServer.EngineIO.Protocol;

namespace PushServer.Fuzzing.Targets;

/// <summary>
/// Engine.IO v4: the input is a polling POST body (records separated by <c>\x1e</c>), and also one WebSocket text
/// frame and one binary frame, which go through the same packet decoder.
/// </summary>
internal static class EngineIOV4PayloadTarget
{
    public static void Run(byte[] input)
    {
        var packets = new List<InboundPacket>();
        if (PayloadDecoder.TryDecodeV4(input, packets))
        {
            Invariants.Require(packets.Count > 0, "an accepted payload holds at least one packet");
        }
        foreach (var packet in packets)
        {
            Invariants.RequireKnownType(packet.Type);
        }
        if (PacketDecoder.TryDecodeText(input, EngineProtocolVersion.V4, out var text))
        {
            Invariants.RequireKnownType(text.Type);
        }
        Invariants.Require(PacketDecoder.TryDecodeBinaryFrame(input, EngineProtocolVersion.V4, out var binary)
            && binary.Data.Length == input.Length, "a v4 binary frame is all message data");
    }
}
