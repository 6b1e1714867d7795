using System.Text.Json;
using MessagePack;
using PushServer.SocketIO.Redis.Protocol;
using PushServer.SocketIO.Redis.Streams;

namespace PushServer.SocketIO.Redis.Sharded;

/// <summary>
/// The messages of @socket.io/redis-adapter's sharded adapter (8.x): socket.io-adapter's cluster message as one
/// object <c>{type, data, uid, nsp}</c>, JSON text, except that a message of a type that may carry binary values and
/// does carry some is MessagePack. A reader tells them apart by the first byte: JSON is an object, <c>{</c>.
/// </summary>
internal static class ShardedMessageCodec
{
    public static ReadOnlyMemory<byte> Encode(string uid, string nsp, ClusterMessageType type, MessageData? data, JsonSerializerOptions json)
    {
        // The Node adapter's key order: the message is built as {type, data}, then uid and nsp are set on it.
        var message = new MessageData().Add("type", (long)type);
        if (data is not null)
        {
            message.Add("data", data);
        }
        message.Add("uid", uid).Add("nsp", nsp);
        return StreamMessageCodec.Serialize(type, message, json).Bytes;
    }

    /// <summary>Reads a message; false when it is not one (undecodable, no uid or type).</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> bytes, out ClusterMessage? message)
    {
        message = null;
        if (bytes.IsEmpty)
        {
            return false;
        }
        object? decoded;
        try
        {
            if (bytes.Span[0] == (byte)'{')
            {
                using var document = JsonDocument.Parse(bytes);
                decoded = PlainValues.FromJson(document.RootElement);
            }
            else
            {
                var reader = new MessagePackReader(bytes);
                decoded = MsgPackValues.Read(ref reader);
            }
        }
        catch (Exception ex) when (ex is JsonException or MessagePackSerializationException or EndOfStreamException)
        {
            return false;
        }
        if (decoded is not Dictionary<string, object?> map || map.GetValueOrDefault("uid") is not string uid
            || map.GetValueOrDefault("type") is not long type)
        {
            return false;
        }
        var nsp = map.GetValueOrDefault("nsp") as string ?? "/";
        message = new ClusterMessage(uid, nsp, (ClusterMessageType)type, map.GetValueOrDefault("data") as Dictionary<string, object?>);
        return true;
    }
}
