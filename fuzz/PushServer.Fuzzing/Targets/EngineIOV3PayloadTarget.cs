using System.Text;
using PushServer.EngineIO;
using PushServer.EngineIO.Protocol;

namespace PushServer.Fuzzing.Targets;

/// <summary>
/// Engine.IO v3: the input as a text polling body (<c>&lt;length&gt;:&lt;packet&gt;</c>, lengths in UTF-16 units),
/// as an XHR2 binary body (type byte, length digits, 255, packet), and as WebSocket frames.
/// </summary>
internal static class EngineIOV3PayloadTarget
{
    public static void Run(byte[] input)
    {
        var packets = new List<InboundPacket>();
        // The transport reads a text body as UTF-8 first, exactly like this.
        PayloadDecoder.TryDecodeV3Text(Encoding.UTF8.GetString(input), packets);
        CheckAll(packets);

        packets.Clear();
        PayloadDecoder.TryDecodeV3Binary(input, packets);
        CheckAll(packets);

        if (PacketDecoder.TryDecodeText(input, EngineProtocolVersion.V3, out var text))
        {
            Invariants.RequireKnownType(text.Type);
        }
        if (PacketDecoder.TryDecodeBinaryFrame(input, EngineProtocolVersion.V3, out var binary))
        {
            Invariants.RequireKnownType(binary.Type);
        }
    }

    private static void CheckAll(List<InboundPacket> packets)
    {
        foreach (var packet in packets)
        {
            Invariants.RequireKnownType(packet.Type);
        }
    }
}
