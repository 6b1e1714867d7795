using System.Text;

namespace PushServer.EngineIO.Protocol;

/// <summary>
/// Decodes polling POST bodies into packets. Decoding stops at the first bad record: the caller closes the
/// session with <c>parse error</c>, as the reference does.
/// </summary>
internal static class PayloadDecoder
{
    private const byte RecordSeparator = 0x1E;

    /// <summary>v4: records separated by <c>\x1e</c>, binary as <c>b</c> + base64.</summary>
    public static bool TryDecodeV4(ReadOnlySpan<byte> body, List<InboundPacket> packets)
    {
        while (true)
        {
            var end = body.IndexOf(RecordSeparator);
            var record = end < 0 ? body : body[..end];
            if (!PacketDecoder.TryDecodeText(record, EngineProtocolVersion.V4, out var packet))
            {
                return false;
            }
            packets.Add(packet);
            if (end < 0)
            {
                return true;
            }
            body = body[(end + 1)..];
        }
    }

    /// <summary>
    /// v3 text: <c>&lt;length&gt;:&lt;packet&gt;</c> records, the length counted in UTF-16 code units
    /// (JavaScript string length), binary as <c>b4</c> + base64.
    /// </summary>
    public static bool TryDecodeV3Text(string body, List<InboundPacket> packets)
    {
        if (body.Length == 0)
        {
            return false;
        }
        var position = 0;
        while (position < body.Length)
        {
            var colon = body.IndexOf(':', position);
            if (colon <= position || !int.TryParse(body.AsSpan(position, colon - position), System.Globalization.NumberStyles.None, null, out var length))
            {
                return false;
            }
            var start = colon + 1;
            // Compared as the room left, never as start + length: a length near int.MaxValue would overflow.
            if (length == 0 || length > body.Length - start)
            {
                return false;
            }
            var record = Encoding.UTF8.GetBytes(body, start, length);
            if (!PacketDecoder.TryDecodeText(record, EngineProtocolVersion.V3, out var packet))
            {
                return false;
            }
            packets.Add(packet);
            position = start + length;
        }
        return true;
    }

    /// <summary>
    /// v3 XHR2 binary payload: per record one byte 0 (string) or 1 (binary), the length as one byte per decimal
    /// digit, a 255 byte, then the packet; string lengths count UTF-8 bytes, binary ones include the type byte.
    /// </summary>
    public static bool TryDecodeV3Binary(ReadOnlySpan<byte> body, List<InboundPacket> packets)
    {
        if (body.IsEmpty)
        {
            return false;
        }
        while (!body.IsEmpty)
        {
            var isString = body[0] == 0;
            if (body[0] > 1)
            {
                return false;
            }
            // Up to 10 digits are read: ten nines do not fit an int, so the sum is a long and checked against the
            // bytes left before it is used as a length.
            var length = 0L;
            var i = 1;
            for (; i < body.Length && body[i] != 255; i++)
            {
                if (body[i] > 9 || i > 10)
                {
                    return false;
                }
                length = length * 10 + body[i];
            }
            if (i == 1 || i >= body.Length || length == 0 || length > body.Length - (i + 1))
            {
                return false;
            }
            var record = body.Slice(i + 1, (int)length);
            InboundPacket packet;
            var ok = isString
                ? PacketDecoder.TryDecodeText(record, EngineProtocolVersion.V3, out packet)
                : PacketDecoder.TryDecodeBinaryFrame(record, EngineProtocolVersion.V3, out packet);
            if (!ok)
            {
                return false;
            }
            packets.Add(packet);
            body = body[(i + 1 + (int)length)..];
        }
        return true;
    }
}
