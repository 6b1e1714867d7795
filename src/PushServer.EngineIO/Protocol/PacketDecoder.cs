using System.Buffers;
using System.Buffers.Text;

namespace PushServer.EngineIO.Protocol;

/// <summary>Decodes single Engine.IO packets: WebSocket frames and the records of a polling payload.</summary>
internal static class PacketDecoder
{
    /// <summary>
    /// Decodes a text packet: a type digit then data (<c>4hello</c>), or a base64 binary message
    /// (v4: <c>bAQID</c>; v3: <c>b4AQID</c>, with the type digit).
    /// </summary>
    public static bool TryDecodeText(ReadOnlySpan<byte> utf8, EngineProtocolVersion protocol, out InboundPacket packet)
    {
        packet = default;
        if (utf8.IsEmpty)
        {
            return false;
        }
        var first = utf8[0];
        if (first == (byte)'b')
        {
            var rest = utf8[1..];
            if (protocol == EngineProtocolVersion.V3)
            {
                if (rest.IsEmpty || !TryParseType(rest[0], out var v3Type))
                {
                    return false;
                }
                if (!TryDecodeBase64(rest[1..], out var v3Data))
                {
                    return false;
                }
                packet = new InboundPacket(v3Type, v3Data, IsBinary: true);
                return true;
            }
            if (!TryDecodeBase64(rest, out var data))
            {
                return false;
            }
            packet = new InboundPacket(EnginePacketType.Message, data, IsBinary: true);
            return true;
        }
        if (!TryParseType(first, out var type))
        {
            return false;
        }
        packet = new InboundPacket(type, utf8[1..].ToArray(), IsBinary: false);
        return true;
    }

    /// <summary>
    /// Decodes a WebSocket binary frame: in v4 the whole frame is message data; in v3 the first byte is the
    /// packet type as a number (0x04 for a message).
    /// </summary>
    public static bool TryDecodeBinaryFrame(ReadOnlySpan<byte> frame, EngineProtocolVersion protocol, out InboundPacket packet)
    {
        packet = default;
        if (protocol == EngineProtocolVersion.V4)
        {
            packet = new InboundPacket(EnginePacketType.Message, frame.ToArray(), IsBinary: true);
            return true;
        }
        if (frame.IsEmpty || frame[0] > (byte)EnginePacketType.Noop)
        {
            return false;
        }
        packet = new InboundPacket((EnginePacketType)frame[0], frame[1..].ToArray(), IsBinary: true);
        return true;
    }

    private static bool TryParseType(byte digit, out EnginePacketType type)
    {
        var value = digit - '0';
        type = (EnginePacketType)value;
        return value is >= 0 and <= (int)EnginePacketType.Noop;
    }

    private static bool TryDecodeBase64(ReadOnlySpan<byte> base64, out ReadOnlyMemory<byte> data)
    {
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        var status = Base64.DecodeFromUtf8(base64, buffer, out _, out var written);
        data = buffer.AsMemory(0, written);
        return status == OperationStatus.Done;
    }
}
