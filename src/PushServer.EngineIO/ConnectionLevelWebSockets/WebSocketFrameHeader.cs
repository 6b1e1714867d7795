namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// The header of a server's WebSocket frame (RFC 6455 5.2): final, unmasked, one opcode, and the payload length in
/// 7, 7+16 or 7+64 bits. A server's frames carry no mask, so a frame built once is the same bytes for every client.
/// </summary>
internal static class WebSocketFrameHeader
{
    internal const byte FinalText = 0x81;
    internal const byte FinalBinary = 0x82;
    private const byte FinalClose = 0x88;

    /// <summary>Bytes of the header of a frame carrying <paramref name="payloadLength"/> bytes.</summary>
    internal static int Length(int payloadLength) => payloadLength <= 125 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>Writes the header into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    internal static void Write(Span<byte> destination, byte firstByte, int payloadLength)
    {
        destination[0] = firstByte;
        if (payloadLength <= 125)
        {
            destination[1] = (byte)payloadLength;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
        }
        else
        {
            destination[1] = 127;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        }
    }

    /// <summary>A whole frame: header, then <paramref name="payload"/>.</summary>
    internal static byte[] Frame(byte firstByte, ReadOnlySpan<byte> payload)
    {
        var headerLength = Length(payload.Length);
        var frame = new byte[headerLength + payload.Length];
        Write(frame, firstByte, payload.Length);
        payload.CopyTo(frame.AsSpan(headerLength));
        return frame;
    }

    /// <summary>True when <paramref name="frame"/> starts a close frame (a control frame is always final, and a close
    /// frame is never compressed).</summary>
    internal static bool IsClose(ReadOnlySpan<byte> frame) => !frame.IsEmpty && frame[0] == FinalClose;
}
