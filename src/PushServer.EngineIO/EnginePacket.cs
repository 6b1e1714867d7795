using System.Text;

namespace PushServer.EngineIO;

/// <summary>
/// An outbound Engine.IO packet, immutable once built so one instance can be queued on many sessions.
/// Each wire form (WebSocket frame, v4 polling record, v3 length-prefixed record) is computed at most once
/// and shared by every session that sends the packet.
/// </summary>
public sealed class EnginePacket
{
    // For a text packet: the type digit followed by the UTF-8 data ("4hello").
    // For a binary packet: the v3 type byte 0x04 followed by the raw data; v4 frames use the slice after it.
    private readonly byte[] _encoded;
    private string? _base64;
    private int _utf16Length = -1;

    private EnginePacket(EnginePacketType type, byte[] encoded, bool isBinary)
    {
        Type = type;
        _encoded = encoded;
        IsBinary = isBinary;
    }

    /// <summary>The packet type.</summary>
    public EnginePacketType Type { get; }

    /// <summary>True for a binary message packet.</summary>
    public bool IsBinary { get; }

    /// <summary>The packet data: UTF-8 text after the type digit, or the raw binary bytes.</summary>
    public ReadOnlyMemory<byte> Data => _encoded.AsMemory(1);

    /// <summary>Bytes this packet holds, counted against a session's outbound queue cap.</summary>
    public int Size => _encoded.Length;

    /// <summary>A text message packet (<c>4</c> + <paramref name="text"/>).</summary>
    public static EnginePacket Text(string text)
    {
        var encoded = new byte[1 + Encoding.UTF8.GetByteCount(text)];
        encoded[0] = (byte)'4';
        Encoding.UTF8.GetBytes(text, encoded.AsSpan(1));
        return new EnginePacket(EnginePacketType.Message, encoded, isBinary: false);
    }

    /// <summary>A text message packet from data already encoded as UTF-8.</summary>
    public static EnginePacket Text(ReadOnlySpan<byte> utf8)
    {
        var encoded = new byte[1 + utf8.Length];
        encoded[0] = (byte)'4';
        utf8.CopyTo(encoded.AsSpan(1));
        return new EnginePacket(EnginePacketType.Message, encoded, isBinary: false);
    }

    /// <summary>A binary message packet; <paramref name="data"/> is copied.</summary>
    public static EnginePacket Binary(ReadOnlySpan<byte> data)
    {
        var encoded = new byte[1 + data.Length];
        encoded[0] = (byte)EnginePacketType.Message;
        data.CopyTo(encoded.AsSpan(1));
        return new EnginePacket(EnginePacketType.Message, encoded, isBinary: true);
    }

    internal static readonly EnginePacket Ping = Control(EnginePacketType.Ping, "");
    internal static readonly EnginePacket Pong = Control(EnginePacketType.Pong, "");
    internal static readonly EnginePacket PongProbe = Control(EnginePacketType.Pong, "probe");
    internal static readonly EnginePacket Noop = Control(EnginePacketType.Noop, "");
    internal static readonly EnginePacket Close = Control(EnginePacketType.Close, "");

    internal static EnginePacket Control(EnginePacketType type, string data)
    {
        var encoded = new byte[1 + Encoding.UTF8.GetByteCount(data)];
        encoded[0] = (byte)('0' + (int)type);
        Encoding.UTF8.GetBytes(data, encoded.AsSpan(1));
        return new EnginePacket(type, encoded, isBinary: false);
    }

    /// <summary>The text form with its type digit (<c>4hello</c>), as sent in a WebSocket text frame.</summary>
    internal ReadOnlyMemory<byte> TextFrame => _encoded;

    /// <summary>The v4 WebSocket binary frame: the raw data, no type byte.</summary>
    internal ReadOnlyMemory<byte> BinaryFrameV4 => _encoded.AsMemory(1);

    /// <summary>The v3 WebSocket binary frame: type byte 0x04, then the data.</summary>
    internal ReadOnlyMemory<byte> BinaryFrameV3 => _encoded;

    /// <summary>Base64 of the binary data, computed once.</summary>
    internal string Base64 => _base64 ??= Convert.ToBase64String(_encoded, 1, _encoded.Length - 1);

    /// <summary>
    /// Length in UTF-16 code units of the text form (<c>4hello</c>), which is what v3 length prefixes count.
    /// </summary>
    internal int Utf16Length
    {
        get
        {
            if (_utf16Length < 0)
            {
                _utf16Length = CountUtf16(_encoded);
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
