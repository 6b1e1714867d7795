using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace PushServer.SocketIO.Protocol;

/// <summary>
/// Decodes Socket.IO packets (v4 and v5 share the inbound grammar) from UTF-8, one per connection because a
/// binary packet spans several Engine.IO messages. Validation follows socket.io-parser 4.2: any failure is a
/// protocol error, and each error message names the rule or limit it broke.
/// </summary>
internal sealed class SocketIOPacketDecoder
{
    // Longest decimal that still fits a long without overflow checks.
    private const int MaxIdDigits = 18;

    private readonly int _maxAttachments;
    private readonly JsonDocumentOptions _jsonOptions;
    private SocketIOPacket? _pending;
    private int _received;

    private readonly int _maxNamespaceLength;
    private readonly int _maxEventNameLength;

    public SocketIOPacketDecoder(
        int maxAttachments,
        int maxJsonDepth,
        int maxNamespaceLength = SocketIOOptions.DefaultMaxNamespaceLength,
        int maxEventNameLength = SocketIOOptions.DefaultMaxEventNameLength)
    {
        _maxAttachments = maxAttachments;
        _maxNamespaceLength = maxNamespaceLength;
        _maxEventNameLength = maxEventNameLength;
        _jsonOptions = new JsonDocumentOptions { MaxDepth = maxJsonDepth };
    }

    /// <summary>True while a binary packet waits for attachments.</summary>
    public bool IsReconstructing => _pending is not null;

    /// <summary>Decodes a text message. The buffer must stay untouched while the packet is in use.</summary>
    public DecodeStatus DecodeText(ReadOnlyMemory<byte> utf8, out SocketIOPacket? packet, out string? error)
    {
        packet = null;
        if (_pending is not null)
        {
            error = "got plaintext data when reconstructing a packet";
            return DecodeStatus.Error;
        }

        var s = utf8.Span;
        if (s.IsEmpty || s[0] < (byte)'0' || s[0] > (byte)'6')
        {
            error = "unknown packet type";
            return DecodeStatus.Error;
        }

        // JSON strings are transcoded only when read, so bytes that are not UTF-8 would pass the parse and throw in
        // whoever reads the string later. A WebSocket text frame is checked by the transport; a polling body is not.
        if (!Utf8.IsValid(s))
        {
            error = "invalid UTF-8";
            return DecodeStatus.Error;
        }

        var type = (SocketIOPacketType)(s[0] - '0');
        var i = 1;
        var attachments = 0;
        if (type is SocketIOPacketType.BinaryEvent or SocketIOPacketType.BinaryAck)
        {
            var start = i;
            while (i < s.Length && s[i] != (byte)'-')
            {
                if (!IsDigit(s[i]) || i - start >= 9)
                {
                    error = "illegal attachments";
                    return DecodeStatus.Error;
                }
                attachments = attachments * 10 + (s[i] - '0');
                i++;
            }
            if (i == start || i == s.Length)
            {
                error = "illegal attachments";
                return DecodeStatus.Error;
            }
            if (attachments > _maxAttachments)
            {
                error = $"too many attachments (maxAttachments is {_maxAttachments})";
                return DecodeStatus.Error;
            }
            i++; // the '-'
        }

        var nsp = "/";
        if (i < s.Length && s[i] == (byte)'/')
        {
            // The namespace runs to the first ',' or to the end, so "40/custom" equals "40/custom,".
            var comma = s[i..].IndexOf((byte)',');
            var end = comma < 0 ? s.Length : i + comma;
            if (end - i > _maxNamespaceLength)
            {
                error = $"namespace too long (maxNamespaceLength is {_maxNamespaceLength} bytes)";
                return DecodeStatus.Error;
            }
            nsp = Encoding.UTF8.GetString(s[i..end]);
            i = comma < 0 ? end : end + 1;
        }

        long ackId = SocketIOPacket.NoAckId;
        if (i < s.Length && IsDigit(s[i]))
        {
            var start = i;
            ackId = 0;
            while (i < s.Length && IsDigit(s[i]))
            {
                if (i - start >= MaxIdDigits)
                {
                    error = "ack id too long";
                    return DecodeStatus.Error;
                }
                ackId = ackId * 10 + (s[i] - '0');
                i++;
            }
        }

        JsonDocument? payload = null;
        if (i < s.Length)
        {
            try
            {
                payload = JsonDocument.Parse(utf8[i..], _jsonOptions);
            }
            catch (JsonException)
            {
                error = "invalid payload";
                return DecodeStatus.Error;
            }
        }

        if (!IsPayloadValid(type, payload, _maxEventNameLength, out error))
        {
            payload?.Dispose();
            return DecodeStatus.Error;
        }

        var decoded = new SocketIOPacket(type, nsp, ackId, payload, attachments);
        if (attachments > 0)
        {
            _pending = decoded;
            _received = 0;
            return DecodeStatus.NeedsAttachments;
        }

        if (type is SocketIOPacketType.BinaryEvent or SocketIOPacketType.BinaryAck && !ArePlaceholdersValid(decoded, out error))
        {
            return DecodeStatus.Error;
        }

        packet = decoded;
        error = null;
        return DecodeStatus.Complete;
    }

    /// <summary>Adds a binary message as the next attachment of the pending packet.</summary>
    public DecodeStatus DecodeBinary(ReadOnlyMemory<byte> data, out SocketIOPacket? packet, out string? error)
    {
        packet = null;
        var pending = _pending;
        if (pending is null)
        {
            error = "got binary data when not reconstructing a packet";
            return DecodeStatus.Error;
        }

        pending.Attachments[_received++] = data;
        if (_received < pending.Attachments.Length)
        {
            error = null;
            return DecodeStatus.NeedsAttachments;
        }

        _pending = null;
        if (!ArePlaceholdersValid(pending, out error))
        {
            return DecodeStatus.Error;
        }
        packet = pending;
        return DecodeStatus.Complete;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool IsPayloadValid(SocketIOPacketType type, JsonDocument? payload, int maxEventNameLength, out string? error)
    {
        if (type is SocketIOPacketType.Event or SocketIOPacketType.BinaryEvent
            && payload?.RootElement is { ValueKind: JsonValueKind.Array } events && events.GetArrayLength() > 0
            && events[0] is { ValueKind: JsonValueKind.String } name)
        {
            if (!TryReadString(name, out var text))
            {
                error = "invalid payload: the event name is not valid UTF-16";
                return false;
            }
            if (text.Length > maxEventNameLength)
            {
                error = $"event name too long (maxEventNameLength is {maxEventNameLength})";
                return false;
            }
        }
        var root = payload?.RootElement;
        var ok = type switch
        {
            SocketIOPacketType.Connect => root is null || root.Value.ValueKind == JsonValueKind.Object,
            SocketIOPacketType.Disconnect => root is null,
            SocketIOPacketType.ConnectError => root is { ValueKind: JsonValueKind.String or JsonValueKind.Object },
            SocketIOPacketType.Event or SocketIOPacketType.BinaryEvent => root is { ValueKind: JsonValueKind.Array } && IsEventNameValid(root.Value),
            _ => root is { ValueKind: JsonValueKind.Array },
        };
        error = ok ? null : "invalid payload";
        return ok;
    }

    private static bool TryReadString(JsonElement element, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // JSON allows an escaped lone surrogate ("\ud800"), which System.Text.Json refuses to read as a string;
            // the dispatch reads the event name as a string, so such a name is a protocol error here.
            text = null;
            return false;
        }
    }

    private static bool IsEventNameValid(JsonElement array)
    {
        if (array.GetArrayLength() == 0)
        {
            return false;
        }
        var name = array[0];
        // The reference accepts a number as event name ("42[1,2]").
        return name.ValueKind == JsonValueKind.Number
            || (name.ValueKind == JsonValueKind.String && !ReservedEventNames.IsReserved(name));
    }

    private static bool ArePlaceholdersValid(SocketIOPacket packet, out string? error)
    {
        error = null;
        if (packet.Payload is null || IsValid(packet.Payload.RootElement, packet.Attachments.Length))
        {
            return true;
        }
        error = "illegal attachments: placeholder index out of range";
        return false;
    }

    private static bool IsValid(JsonElement element, int count)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsValid(item, count))
                    {
                        return false;
                    }
                }
                return true;
            case JsonValueKind.Object:
                if (BinaryPlaceholder.IsPlaceholder(element))
                {
                    return BinaryPlaceholder.TryGetIndex(element, count, out _);
                }
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsValid(property.Value, count))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return true;
        }
    }
}
