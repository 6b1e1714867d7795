using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MessagePack;
using PushServer.SocketIO.Protocol;
using PushServer.SocketIO.Redis.Protocol;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis.Streams;

/// <summary>
/// The stream entries of @socket.io/redis-streams-adapter 0.2.x: fields <c>uid</c>, <c>nsp</c>, <c>type</c> (the
/// message type as a decimal string) and, when the message has data, <c>data</c>. The data is JSON text, except that
/// a message type that may carry binary values (broadcasts, their acks, server-side emits and their answers, fetched
/// sockets) and does carry some is MessagePack, base64-encoded. A reader tells them apart by the first character:
/// JSON data is always an object, so it starts with <c>{</c>, which base64 never does.
/// </summary>
internal static class StreamMessageCodec
{
    public const string UidField = "uid";
    public const string NspField = "nsp";
    public const string TypeField = "type";
    public const string DataField = "data";

    /// <summary>Builds the fields of an entry.</summary>
    public static NameValueEntry[] Encode(string uid, string nsp, ClusterMessageType type, MessageData? data, JsonSerializerOptions json)
    {
        var typeText = ((int)type).ToString(CultureInfo.InvariantCulture);
        if (data is null)
        {
            return [new(UidField, uid), new(NspField, nsp), new(TypeField, typeText)];
        }
        return [new(UidField, uid), new(NspField, nsp), new(TypeField, typeText), new(DataField, EncodeData(type, data, json))];
    }

    /// <summary>The <c>data</c> field: JSON, or base64 MessagePack when binary values must travel as bytes.</summary>
    public static string EncodeData(ClusterMessageType type, MessageData data, JsonSerializerOptions json)
    {
        var (bytes, packed) = Serialize(type, data, json);
        return packed ? Convert.ToBase64String(bytes.Span) : System.Text.Encoding.UTF8.GetString(bytes.Span);
    }

    /// <summary>
    /// <paramref name="value"/> as JSON, or as MessagePack (and true) when
    /// <paramref name="type"/> may carry binary values and this one does, the rule of the Node cluster adapters.
    /// </summary>
    public static (ReadOnlyMemory<byte> Bytes, bool MessagePack) Serialize(ClusterMessageType type, MessageData value, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var attachments = new List<ReadOnlyMemory<byte>>();
        using (SocketIOValueWriter.CollectAttachments(attachments))
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer, value, json);
        }
        if (attachments.Count == 0 || !MayContainBinary(type))
        {
            return (buffer.WrittenMemory, false);
        }
        var packed = new ArrayBufferWriter<byte>(256);
        var msgpack = new MessagePackWriter(packed);
        WriteMsgPack(ref msgpack, value, json);
        msgpack.Flush();
        return (packed.WrittenMemory, true);
    }

    /// <summary>Reads an entry's fields; false when it is not a cluster message (no uid or type, undecodable data).</summary>
    public static bool TryDecode(NameValueEntry[] fields, out ClusterMessage? message)
    {
        message = null;
        string? uid = null, nsp = null, type = null, data = null;
        foreach (var field in fields)
        {
            switch ((string?)field.Name)
            {
                case UidField:
                    uid = field.Value;
                    break;
                case NspField:
                    nsp = field.Value;
                    break;
                case TypeField:
                    type = field.Value;
                    break;
                case DataField:
                    data = field.Value;
                    break;
            }
        }
        if (uid is null || nsp is null || !int.TryParse(type, NumberStyles.None, CultureInfo.InvariantCulture, out var typeValue))
        {
            return false;
        }
        Dictionary<string, object?>? decoded = null;
        if (!string.IsNullOrEmpty(data))
        {
            try
            {
                decoded = (data[0] == '{' ? PlainValues.FromJson(data) : Unpack(data)) as Dictionary<string, object?>;
            }
            catch (Exception ex) when (ex is JsonException or FormatException or MessagePackSerializationException or EndOfStreamException)
            {
                return false;
            }
        }
        message = new ClusterMessage(uid, nsp, (ClusterMessageType)typeValue, decoded);
        return true;
    }

    private static object? Unpack(string base64)
    {
        var reader = new MessagePackReader(Convert.FromBase64String(base64));
        return MsgPackValues.Read(ref reader);
    }

    /// <summary>The Node adapter's list of types whose data is checked for binary values.</summary>
    private static bool MayContainBinary(ClusterMessageType type) => type is ClusterMessageType.Broadcast
        or ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmit
        or ClusterMessageType.ServerSideEmitResponse or ClusterMessageType.BroadcastAck;

    private static void WriteJson(Utf8JsonWriter writer, object? value, JsonSerializerOptions json)
    {
        switch (value)
        {
            case MessageData map:
                writer.WriteStartObject();
                foreach (var (key, item) in map.Items)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item, json);
                }
                writer.WriteEndObject();
                return;
            case EventArguments e:
                writer.WriteStartArray();
                writer.WriteStringValue(e.EventName);
                foreach (var arg in e.Args)
                {
                    SocketIOValueWriter.WriteValue(writer, arg, json);
                }
                writer.WriteEndArray();
                return;
            case AckValue ack:
                // Its placeholders stand for attachments: counted so the message goes as MessagePack with the bytes.
                SocketIOValueWriter.CurrentAttachments?.AddRange(ack.Attachments);
                ack.Value.WriteTo(writer);
                return;
            case LocalSockets sockets:
            {
                // A socket's data is written as JSON whatever it holds (bytes as base64), so this never turns binary.
                using (SocketIOValueWriter.CollectAttachments(null))
                {
                    writer.WriteStartArray();
                    foreach (var socket in sockets.Sockets)
                    {
                        RemoteSocketJson.Write(writer, socket, json);
                    }
                    writer.WriteEndArray();
                }
                return;
            }
            case IEnumerable<string> strings:
                writer.WriteStartArray();
                foreach (var s in strings)
                {
                    writer.WriteStringValue(s);
                }
                writer.WriteEndArray();
                return;
            default:
                SocketIOValueWriter.WriteValue(writer, value, json);
                return;
        }
    }

    private static void WriteMsgPack(ref MessagePackWriter writer, object? value, JsonSerializerOptions json)
    {
        switch (value)
        {
            case MessageData map:
                writer.WriteMapHeader(map.Items.Count);
                foreach (var (key, item) in map.Items)
                {
                    writer.Write(key);
                    WriteMsgPack(ref writer, item, json);
                }
                return;
            case EventArguments e:
                writer.WriteArrayHeader(e.Args.Count + 1);
                writer.Write(e.EventName);
                foreach (var arg in e.Args)
                {
                    MsgPackValues.Write(ref writer, arg, json);
                }
                return;
            case AckValue ack:
                MsgPackValues.WriteJson(ref writer, ack.Value, ack.Attachments);
                return;
            case IEnumerable<string> strings:
            {
                var list = strings as IReadOnlyCollection<string> ?? [.. strings];
                writer.WriteArrayHeader(list.Count);
                foreach (var s in list)
                {
                    writer.Write(s);
                }
                return;
            }
            default:
                MsgPackValues.Write(ref writer, value, json);
                return;
        }
    }
}
