using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PushServer.EngineIO.Protocol;

/// <summary>Encodes the packets of one poll response in the wire form of the session's protocol.</summary>
internal static class PayloadEncoder
{
    private const byte RecordSeparator = 0x1E;

    /// <summary>v4: records joined by <c>\x1e</c>; binary as <c>b</c> + base64 with no type digit.</summary>
    public static void EncodeV4(IReadOnlyList<EnginePacket> packets, IBufferWriter<byte> output)
    {
        for (var i = 0; i < packets.Count; i++)
        {
            if (i > 0)
            {
                output.Write([RecordSeparator]);
            }
            var packet = packets[i];
            if (packet.IsBinary)
            {
                output.Write("b"u8);
                WriteAscii(packet.Base64, output);
            }
            else
            {
                output.Write(packet.TextFrame.Span);
            }
        }
    }

    /// <summary>True when a v3 batch must use the XHR2 binary framing: the client takes binary and the batch has some.</summary>
    public static bool NeedsV3BinaryFraming(IReadOnlyList<EnginePacket> packets, bool supportsBinary)
    {
        if (!supportsBinary)
        {
            return false;
        }
        foreach (var packet in packets)
        {
            if (packet.IsBinary)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>v3 text: <c>&lt;length&gt;:&lt;packet&gt;</c> with lengths in UTF-16 code units; binary as <c>b4</c> + base64.</summary>
    public static void EncodeV3Text(IReadOnlyList<EnginePacket> packets, IBufferWriter<byte> output)
    {
        foreach (var packet in packets)
        {
            if (packet.IsBinary)
            {
                var base64 = packet.Base64;
                WriteNumber(2 + base64.Length, output);
                output.Write(":b4"u8);
                WriteAscii(base64, output);
            }
            else
            {
                WriteNumber(packet.Utf16Length, output);
                output.Write(":"u8);
                output.Write(packet.TextFrame.Span);
            }
        }
    }

    /// <summary>
    /// v3 XHR2 binary framing: 0 (string) or 1 (binary), the length as one byte per decimal digit, 255, then the
    /// packet. String lengths count UTF-8 bytes; binary packets carry their type byte.
    /// </summary>
    public static void EncodeV3Binary(IReadOnlyList<EnginePacket> packets, IBufferWriter<byte> output)
    {
        Span<byte> digits = stackalloc byte[11];
        foreach (var packet in packets)
        {
            var frame = packet.IsBinary ? packet.BinaryFrameV3.Span : packet.TextFrame.Span;
            output.Write([packet.IsBinary ? (byte)1 : (byte)0]);
            var length = frame.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 0; i < length.Length; i++)
            {
                digits[i] = (byte)(length[i] - '0');
            }
            output.Write(digits[..length.Length]);
            output.Write([(byte)255]);
            output.Write(frame);
        }
    }

    /// <summary>
    /// v3 JSONP: <c>___eio[N]("payload");</c>, the v3 text payload as a JavaScript string literal.
    /// The default JSON encoder escapes U+2028 and U+2029, which are line breaks in older JavaScript.
    /// </summary>
    public static void EncodeJsonp(IReadOnlyList<EnginePacket> packets, string callbackIndex, IBufferWriter<byte> output)
    {
        var inner = new ArrayBufferWriter<byte>();
        EncodeV3Text(packets, inner);
        var literal = JsonEncodedText.Encode(Encoding.UTF8.GetString(inner.WrittenSpan), JavaScriptEncoder.Default);
        WriteAscii("___eio[", output);
        WriteAscii(callbackIndex, output);
        WriteAscii("](\"", output);
        output.Write(literal.EncodedUtf8Bytes);
        WriteAscii("\");", output);
    }

    private static void WriteNumber(int value, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(11);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    private static void WriteAscii(string text, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }
}
