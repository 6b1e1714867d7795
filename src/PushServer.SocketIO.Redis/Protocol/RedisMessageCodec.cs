using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MessagePack;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis.Protocol;

/// <summary>
/// The messages of @socket.io/redis-adapter: broadcasts and BROADCAST requests and acks in MessagePack (notepack's
/// encoding), every other request and response in JSON. A receiver tells them apart by the first byte: <c>{</c> is JSON.
/// </summary>
internal static class RedisMessageCodec
{
    private const int EventPacketType = 2;

    /// <summary>True when a request or response is JSON rather than MessagePack.</summary>
    public static bool IsJson(ReadOnlySpan<byte> message) => message.Length > 0 && message[0] == (byte)'{';

    /// <summary>Encodes a broadcast: <c>[uid, packet, opts]</c>.</summary>
    public static byte[] EncodeBroadcast(string uid, BroadcastPacket packet, BroadcastOptions options, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(uid);
        WritePacket(ref writer, packet, json);
        WriteOptions(ref writer, options, withFlags: true);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes a BROADCAST request, asking every node for its client count and its clients' acks.</summary>
    public static byte[] EncodeBroadcastRequest(string uid, string requestId, BroadcastPacket packet, BroadcastOptions options, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(5);
        writer.Write("uid");
        writer.Write(uid);
        writer.Write("requestId");
        writer.Write(requestId);
        writer.Write("type");
        writer.Write((int)RedisRequestType.Broadcast);
        writer.Write("packet");
        WritePacket(ref writer, packet, json);
        writer.Write("opts");
        WriteOptions(ref writer, options, withFlags: true);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes one client's acknowledgement of a BROADCAST request: <c>{type: 9, requestId, packet}</c>.</summary>
    public static byte[] EncodeBroadcastAck(string requestId, SocketIOArgs ack)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write((int)RedisRequestType.BroadcastAck);
        writer.Write("requestId");
        writer.Write(requestId);
        writer.Write("packet");
        // socket.io hands a broadcast's ack callback the client's first argument only.
        if (ack.Count == 0)
        {
            writer.WriteNil();
        }
        else
        {
            MsgPackValues.WriteJson(ref writer, ack[0], ack.Attachments);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a broadcast message <c>[uid, packet, opts]</c>; false when it is not one.</summary>
    public static bool TryDecodeBroadcast(ReadOnlyMemory<byte> message, out RedisBroadcastMessage? broadcast)
    {
        broadcast = null;
        if (Decode(message) is not List<object?> { Count: >= 3 } parts)
        {
            return false;
        }
        return TryReadBroadcast(parts[0] as string, parts[1], parts[2], out broadcast);
    }

    /// <summary>Decodes a MessagePack request or response into plain objects (maps become dictionaries).</summary>
    public static object? Decode(ReadOnlyMemory<byte> message)
    {
        var reader = new MessagePackReader(message);
        return MsgPackValues.Read(ref reader);
    }

    /// <summary>Reads the packet and options of a broadcast or BROADCAST request.</summary>
    public static bool TryReadBroadcast(string? uid, object? packetValue, object? optsValue, out RedisBroadcastMessage? broadcast)
    {
        broadcast = null;
        if (packetValue is not Dictionary<string, object?> packet || packet.GetValueOrDefault("data") is not List<object?> { Count: > 0 } data)
        {
            return false;
        }
        var nsp = packet.GetValueOrDefault("nsp") as string ?? "/";
        var eventName = Convert.ToString(data[0], CultureInfo.InvariantCulture) ?? "";
        var args = new object?[data.Count - 1];
        data.CopyTo(1, args, 0, args.Length);
        var opts = optsValue as Dictionary<string, object?>;
        var flags = opts?.GetValueOrDefault("flags") as Dictionary<string, object?>;
        var options = new BroadcastOptions
        {
            Rooms = ToSet(opts?.GetValueOrDefault("rooms")),
            Except = ToSet(opts?.GetValueOrDefault("except")),
            Flags = new BroadcastFlags
            {
                Volatile = flags?.GetValueOrDefault("volatile") is true,
                Compress = flags?.GetValueOrDefault("compress") as bool?,
                Timeout = flags?.GetValueOrDefault("timeout") switch
                {
                    long ms => TimeSpan.FromMilliseconds(ms),
                    double ms => TimeSpan.FromMilliseconds(ms),
                    _ => null,
                },
            },
        };
        broadcast = new RedisBroadcastMessage(uid, nsp, eventName, args, options);
        return true;
    }

    /// <summary>A room list (strings; numbers as Node prints them) as a set.</summary>
    public static HashSet<string> ToSet(object? value)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (value is List<object?> list)
        {
            foreach (var item in list)
            {
                if (item is not null)
                {
                    set.Add(Convert.ToString(item, CultureInfo.InvariantCulture)!);
                }
            }
        }
        return set;
    }

    /// <summary>A room list from a JSON request (strings; numbers as written).</summary>
    public static HashSet<string> ToSet(JsonElement value)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    set.Add(item.GetString()!);
                }
                else if (item.ValueKind == JsonValueKind.Number)
                {
                    set.Add(item.GetRawText());
                }
            }
        }
        return set;
    }

    /// <summary>Writes a JSON request or response with <paramref name="body"/> and returns its UTF-8 bytes.</summary>
    public static byte[] WriteJson(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <c>"opts": {"rooms": [...], "except": [...]}</c>.</summary>
    public static void WriteJsonOptions(Utf8JsonWriter writer, BroadcastOptions options)
    {
        writer.WriteStartObject("opts");
        WriteJsonArray(writer, "rooms", options.Rooms);
        WriteJsonArray(writer, "except", options.Except);
        writer.WriteEndObject();
    }

    /// <summary>Writes a string array property.</summary>
    public static void WriteJsonArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static void WritePacket(ref MessagePackWriter writer, BroadcastPacket packet, JsonSerializerOptions json)
    {
        // Key order as socket.io builds it: {type, data} and the adapter adds nsp.
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write(EventPacketType);
        writer.Write("data");
        writer.WriteArrayHeader(packet.Args.Count + 1);
        writer.Write(packet.EventName);
        foreach (var arg in packet.Args)
        {
            MsgPackValues.Write(ref writer, arg, json);
        }
        writer.Write("nsp");
        writer.Write(packet.Namespace);
    }

    private static void WriteOptions(ref MessagePackWriter writer, BroadcastOptions options, bool withFlags)
    {
        writer.WriteMapHeader(withFlags ? 3 : 2);
        writer.Write("rooms");
        WriteStrings(ref writer, options.Rooms);
        writer.Write("except");
        WriteStrings(ref writer, options.Except);
        if (!withFlags)
        {
            return;
        }
        writer.Write("flags");
        var flags = options.Flags;
        var count = (flags.Volatile ? 1 : 0) + (flags.Compress.HasValue ? 1 : 0) + (flags.Timeout.HasValue ? 1 : 0);
        writer.WriteMapHeader(count);
        if (flags.Volatile)
        {
            writer.Write("volatile");
            writer.Write(true);
        }
        if (flags.Compress is { } compress)
        {
            writer.Write("compress");
            writer.Write(compress);
        }
        if (flags.Timeout is { } timeout)
        {
            writer.Write("timeout");
            writer.Write((long)timeout.TotalMilliseconds);
        }
    }

    private static void WriteStrings(ref MessagePackWriter writer, IReadOnlySet<string> values)
    {
        writer.WriteArrayHeader(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }
}
