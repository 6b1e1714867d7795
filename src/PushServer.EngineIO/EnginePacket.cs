using System.Text;
using PushServer.EngineIO.ConnectionLevelWebSockets;
using PushServer.EngineIO.Protocol;

namespace PushServer.EngineIO;

/// <summary>
/// An outbound Engine.IO packet, immutable once built so one instance can be queued on many sessions.
/// Each wire form (WebSocket frame, v4 polling record, v3 length-prefixed record) is computed at most once
/// and shared by every session that sends the packet.
/// </summary>
public sealed class EnginePacket
{
    // For a text packet: room for a WebSocket frame header, then the type digit followed by the UTF-8 data
    // ([header]"4hello"): the whole array is the frame a server writes, so a broadcast's frame is built with the packet.
    // For a binary packet: the v3 type byte 0x04 followed by the raw data (v4 frames use the slice after it); its
    // WebSocket frames differ per protocol and are built on first use.
    private readonly byte[] _frame;
    private readonly int _start; // where the packet begins in _frame: the header's length for text, 0 for binary
    private string? _base64;
    private int _utf16Length = -1;
    private byte[]? _binaryWebSocketFrameV3;
    private byte[]? _binaryWebSocketFrameV4;

    private EnginePacket(EnginePacketType type, byte[] frame, int start, bool isBinary)
    {
        Type = type;
        _frame = frame;
        _start = start;
        IsBinary = isBinary;
    }

    /// <summary>The packet type.</summary>
    public EnginePacketType Type { get; }

    /// <summary>True for a binary message packet.</summary>
    public bool IsBinary { get; }

    /// <summary>The packet data: UTF-8 text after the type digit, or the raw binary bytes.</summary>
    public ReadOnlyMemory<byte> Data => _frame.AsMemory(_start + 1);

    /// <summary>Bytes this packet holds, counted against a session's outbound queue cap.</summary>
    public int Size => _frame.Length - _start;

    /// <summary>A text message packet (<c>4</c> + <paramref name="text"/>).</summary>
    public static EnginePacket Text(string text) => TextPacket(EnginePacketType.Message, text);

    /// <summary>A text message packet from data already encoded as UTF-8.</summary>
    public static EnginePacket Text(ReadOnlySpan<byte> utf8)
    {
        var packet = AllocateText(EnginePacketType.Message, utf8.Length, out var data);
        utf8.CopyTo(data);
        return packet;
    }

    /// <summary>A binary message packet; <paramref name="data"/> is copied.</summary>
    public static EnginePacket Binary(ReadOnlySpan<byte> data)
    {
        var encoded = new byte[1 + data.Length];
        encoded[0] = (byte)EnginePacketType.Message;
        data.CopyTo(encoded.AsSpan(1));
        return new EnginePacket(EnginePacketType.Message, encoded, 0, isBinary: true);
    }

    internal static readonly EnginePacket Ping = Control(EnginePacketType.Ping, "");
    internal static readonly EnginePacket Pong = Control(EnginePacketType.Pong, "");
    internal static readonly EnginePacket PongProbe = Control(EnginePacketType.Pong, "probe");
    internal static readonly EnginePacket Noop = Control(EnginePacketType.Noop, "");
    internal static readonly EnginePacket Close = Control(EnginePacketType.Close, "");

    internal static EnginePacket Control(EnginePacketType type, string data) => TextPacket(type, data);

    private static EnginePacket TextPacket(EnginePacketType type, string text)
    {
        var packet = AllocateText(type, Encoding.UTF8.GetByteCount(text), out var data);
        Encoding.UTF8.GetBytes(text, data);
        return packet;
    }

    /// <summary>A text packet of <paramref name="dataLength"/> UTF-8 bytes after its type digit, with its WebSocket
    /// frame header written in front; <paramref name="data"/> is where the caller writes the bytes.</summary>
    private static EnginePacket AllocateText(EnginePacketType type, int dataLength, out Span<byte> data)
    {
        var headerLength = WebSocketFrameHeader.Length(1 + dataLength);
        var frame = new byte[headerLength + 1 + dataLength];
        WebSocketFrameHeader.Write(frame, WebSocketFrameHeader.FinalText, 1 + dataLength);
        frame[headerLength] = (byte)('0' + (int)type);
        data = frame.AsSpan(headerLength + 1);
        return new EnginePacket(type, frame, headerLength, isBinary: false);
    }

    /// <summary>The text form with its type digit (<c>4hello</c>), as sent in a WebSocket text frame.</summary>
    internal ReadOnlyMemory<byte> TextFrame => _frame.AsMemory(_start);

    /// <summary>The v4 WebSocket binary frame: the raw data, no type byte.</summary>
    internal ReadOnlyMemory<byte> BinaryFrameV4 => _frame.AsMemory(1);

    /// <summary>The v3 WebSocket binary frame: type byte 0x04, then the data.</summary>
    internal ReadOnlyMemory<byte> BinaryFrameV3 => _frame;

    /// <summary>
    /// The whole WebSocket frame of this packet, header included, as a server writes it to a client of
    /// <paramref name="protocol"/> that takes binary frames: the same bytes for every such client.
    /// </summary>
    internal ReadOnlyMemory<byte> WebSocketFrame(EngineProtocolVersion protocol)
    {
        if (!IsBinary)
        {
            return _frame;
        }
        return protocol == EngineProtocolVersion.V4
            ? _binaryWebSocketFrameV4 ??= WebSocketFrameHeader.Frame(WebSocketFrameHeader.FinalBinary, BinaryFrameV4.Span)
            : _binaryWebSocketFrameV3 ??= WebSocketFrameHeader.Frame(WebSocketFrameHeader.FinalBinary, BinaryFrameV3.Span);
    }

    /// <summary>Base64 of the binary data, computed once.</summary>
    internal string Base64 => _base64 ??= Convert.ToBase64String(_frame, 1, _frame.Length - 1);

    /// <summary>
    /// Length in UTF-16 code units of the text form (<c>4hello</c>), which is what v3 length prefixes count.
    /// </summary>
    internal int Utf16Length
    {
        get
        {
            if (_utf16Length < 0)
            {
                _utf16Length = CountUtf16(TextFrame.Span);
            }
            return _utf16Length;
        }
    }

    private static int CountUtf16(ReadOnlySpan<byte> utf8)
    {
        // Every UTF-8 lead byte starts one UTF-16 unit, except 4-byte sequences which need a surrogate pair.
        var count = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
            {
                count += b >= 0xF0 ? 2 : 1;
            }
        }
        return count;
    }
}
