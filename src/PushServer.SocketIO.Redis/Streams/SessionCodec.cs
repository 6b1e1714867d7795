using System.Buffers;
using System.Text.Json;
using MessagePack;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Protocol;

namespace PushServer.SocketIO.Redis.Streams;

/// <summary>
/// A persisted session as the Node adapter stores it under <c>sio:session:&lt;pid&gt;</c>: the MessagePack map
/// <c>{sid, pid, rooms, data}</c> (socket.io's order), base64-encoded, so a session persisted by a Node node is
/// restored by a PushServer node and the other way round.
/// </summary>
internal static class SessionCodec
{
    public static string Encode(PersistedSession session, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        writer.Write("sid");
        writer.Write(session.Sid);
        writer.Write("pid");
        writer.Write(session.Pid);
        writer.Write("rooms");
        writer.WriteArrayHeader(session.Rooms.Count);
        foreach (var room in session.Rooms)
        {
            writer.Write(room);
        }
        writer.Write("data");
        MsgPackValues.Write(ref writer, session.Data, json);
        writer.Flush();
        return Convert.ToBase64String(buffer.WrittenSpan);
    }

    /// <summary>
    /// Decodes a stored session; false when it is not one. Its data comes back as a JSON element (or null), the form a
    /// socket's data takes whenever it crossed a node.
    /// </summary>
    public static bool TryDecode(string stored, JsonSerializerOptions json, out PersistedSession? session)
    {
        session = null;
        try
        {
            var reader = new MessagePackReader(Convert.FromBase64String(stored));
            if (MsgPackValues.Read(ref reader) is not Dictionary<string, object?> map
                || map.GetValueOrDefault("sid") is not string sid || map.GetValueOrDefault("pid") is not string pid)
            {
                return false;
            }
            var rooms = new List<string>();
            if (map.GetValueOrDefault("rooms") is List<object?> list)
            {
                foreach (var room in list)
                {
                    if (room is not null)
                    {
                        rooms.Add(Convert.ToString(room, System.Globalization.CultureInfo.InvariantCulture)!);
                    }
                }
            }
            var data = map.GetValueOrDefault("data");
            session = new PersistedSession(sid, pid, rooms, data is null ? null : PlainValues.ToJsonElement(data, json));
            return true;
        }
        catch (Exception ex) when (ex is FormatException or MessagePackSerializationException or EndOfStreamException)
        {
            return false;
        }
    }
}
