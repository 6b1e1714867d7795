using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PushServer.EngineIO;

namespace PushServer.SocketIO.Protocol;

/// <summary>
/// Encodes outbound Socket.IO packets: <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;nsp&gt;,][&lt;ackId&gt;][&lt;json&gt;]</c>.
/// Events and acks become BINARY_EVENT / BINARY_ACK when an argument holds bytes; each byte value is replaced
/// by a placeholder in depth-first order and follows as its own binary message.
/// </summary>
internal static class SocketIOPacketEncoder
{
    // Scratch buffers are reused per thread; one that grew past this is dropped so a rare big packet
    // does not pin memory for the life of the thread.
    private const int MaxRetainedScratch = 64 * 1024;

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>Encodes an EVENT (<paramref name="eventName"/> not null) or an ACK.</summary>
    public static EncodedPacket EncodeMessage(
        string nsp, string? eventName, ReadOnlySpan<object?> args, long ackId, JsonSerializerOptions options)
    {
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null; // re-entrancy (a serializer calling back into us) gets its own scratch
        try
        {
            var attachments = scratch.Attachments;
            AttachmentScope.Writing = attachments;
            var writer = scratch.Writer;
            writer.Reset(scratch.Payload);
            writer.WriteStartArray();
            if (eventName is not null)
            {
                writer.WriteStringValue(eventName);
            }
            foreach (var arg in args)
            {
                WriteValue(writer, arg, options);
            }
            writer.WriteEndArray();
            writer.Flush();
            AttachmentScope.Writing = null;

            var isBinary = attachments.Count > 0;
            var type = (eventName is null, isBinary) switch
            {
                (false, false) => SocketIOPacketType.Event,
                (false, true) => SocketIOPacketType.BinaryEvent,
                (true, false) => SocketIOPacketType.Ack,
                (true, true) => SocketIOPacketType.BinaryAck,
            };

            var packet = scratch.Packet;
            WriteHeader(packet, type, attachments.Count, nsp, ackId);
            packet.Write(scratch.Payload.WrittenSpan);
            var text = EnginePacket.Text(packet.WrittenSpan);

            EnginePacket[] binaries = isBinary ? new EnginePacket[attachments.Count] : [];
            for (var i = 0; i < binaries.Length; i++)
            {
                binaries[i] = EnginePacket.Binary(attachments[i].Span);
            }
            return new EncodedPacket(text, binaries);
        }
        finally
        {
            AttachmentScope.Writing = null;
            scratch.Clear();
            if (scratch.IsSmall)
            {
                t_scratch = scratch;
            }
        }
    }

    /// <summary>
    /// The CONNECT reply: v5 <c>40{"sid":"…"}</c>, or <c>40{"sid":"…","pid":"…"}</c> with connection state recovery;
    /// v4 <c>40</c> with no payload.
    /// </summary>
    public static EnginePacket EncodeConnect(string nsp, string socketId, SocketIOProtocolVersion version, string? pid = null)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        WriteHeader(buffer, SocketIOPacketType.Connect, 0, nsp, SocketIOPacket.NoAckId);
        if (version == SocketIOProtocolVersion.V5)
        {
            using var writer = new Utf8JsonWriter(buffer, SocketIOJson.WriterOptions);
            writer.WriteStartObject();
            writer.WriteString("sid"u8, socketId);
            if (pid is not null)
            {
                writer.WriteString("pid"u8, pid);
            }
            writer.WriteEndObject();
        }
        return EnginePacket.Text(buffer.WrittenSpan);
    }

    /// <summary>
    /// A refused connection. v5: <c>{"message":…,"data":…}</c> (data omitted when null). v4: <paramref name="data"/>
    /// when set, else the message as a JSON string, as socket.io sends to EIO=3 clients.
    /// </summary>
    public static EnginePacket EncodeConnectError(
        string nsp, string message, object? data, SocketIOProtocolVersion version, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        WriteHeader(buffer, SocketIOPacketType.ConnectError, 0, nsp, SocketIOPacket.NoAckId);
        using var writer = new Utf8JsonWriter(buffer, SocketIOJson.WriterOptions);
        if (version == SocketIOProtocolVersion.V4)
        {
            if (data is null)
            {
                writer.WriteStringValue(message);
            }
            else
            {
                WriteValue(writer, data, options);
            }
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("message"u8, message);
            if (data is not null)
            {
                writer.WritePropertyName("data"u8);
                WriteValue(writer, data, options);
            }
            writer.WriteEndObject();
        }
        writer.Flush();
        return EnginePacket.Text(buffer.WrittenSpan);
    }

    /// <summary>
    /// The refusal of an unknown namespace: <c>44/random,{"message":"Invalid namespace"}</c> for both protocol
    /// versions. Unlike middleware refusals, the reference sends the object to EIO=3 clients too.
    /// </summary>
    public static EnginePacket EncodeInvalidNamespace(string nsp, JsonSerializerOptions options) =>
        EncodeConnectError(nsp, "Invalid namespace", null, SocketIOProtocolVersion.V5, options);

    /// <summary>A server DISCONNECT: <c>41</c> or <c>41/admin,</c>.</summary>
    public static EnginePacket EncodeDisconnect(string nsp)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        WriteHeader(buffer, SocketIOPacketType.Disconnect, 0, nsp, SocketIOPacket.NoAckId);
        return EnginePacket.Text(buffer.WrittenSpan);
    }

    private static void WriteHeader(IBufferWriter<byte> output, SocketIOPacketType type, int attachments, string nsp, long ackId)
    {
        var maxLength = 1 + 11 + Encoding.UTF8.GetMaxByteCount(nsp.Length) + 1 + 20;
        var span = output.GetSpan(maxLength);
        var n = 0;
        span[n++] = (byte)('0' + (int)type);
        if (attachments > 0)
        {
            attachments.TryFormat(span[n..], out var written);
            n += written;
            span[n++] = (byte)'-';
        }
        if (nsp != "/")
        {
            n += Encoding.UTF8.GetBytes(nsp, span[n..]);
            span[n++] = (byte)',';
        }
        if (ackId >= 0)
        {
            ackId.TryFormat(span[n..], out var written);
            n += written;
        }
        output.Advance(n);
    }

    /// <summary>Writes one argument. Common shapes are written directly; anything else goes through the serializer.</summary>
    internal static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case JsonElement { ValueKind: JsonValueKind.Undefined }:
                writer.WriteNullValue();
                break;
            case JsonElement e:
                e.WriteTo(writer);
                break;
            case JsonNode node:
                node.WriteTo(writer, options);
                break;
            case byte[] bytes:
                WriteBinary(writer, bytes, options);
                break;
            case ReadOnlyMemory<byte> rom:
                WriteBinary(writer, rom, options);
                break;
            case Memory<byte> mem:
                WriteBinary(writer, mem, options);
                break;
            case ArraySegment<byte> seg:
                WriteBinary(writer, seg.AsMemory(), options);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }

    private static void WriteBinary(Utf8JsonWriter writer, ReadOnlyMemory<byte> bytes, JsonSerializerOptions options)
    {
        var collector = AttachmentScope.Writing;
        if (collector is null)
        {
            JsonSerializer.Serialize(writer, bytes, options);
            return;
        }
        BinaryPlaceholder.Write(writer, collector.Count);
        collector.Add(bytes);
    }

    private sealed class Scratch
    {
        public readonly ArrayBufferWriter<byte> Payload = new(256);
        public readonly ArrayBufferWriter<byte> Packet = new(256);
        public readonly Utf8JsonWriter Writer;
        public readonly List<ReadOnlyMemory<byte>> Attachments = [];

        public Scratch() => Writer = new Utf8JsonWriter(Payload, SocketIOJson.WriterOptions);

        public bool IsSmall => Payload.Capacity <= MaxRetainedScratch && Packet.Capacity <= MaxRetainedScratch;

        public void Clear()
        {
            Payload.ResetWrittenCount();
            Packet.ResetWrittenCount();
            Attachments.Clear();
            Writer.Reset(Payload);
        }
    }
}
