using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis.Protocol;

/// <summary>
/// A socket in a REMOTE_FETCH answer: <c>{id, handshake, rooms, data}</c>, the handshake shaped as socket.io's
/// (<c>headers, time, address, xdomain, secure, issued, url, query, auth</c>).
/// </summary>
internal static class RemoteSocketJson
{
    public static void Write(Utf8JsonWriter writer, SocketIOSocket socket, JsonSerializerOptions options)
    {
        var h = socket.Handshake;
        writer.WriteStartObject();
        writer.WriteString("id", socket.Id);
        writer.WriteStartObject("handshake");
        WriteMap(writer, "headers", h.Headers);
        writer.WriteString("time", h.Issued.ToString("R", CultureInfo.InvariantCulture));
        writer.WriteString("address", h.Address);
        writer.WriteBoolean("xdomain", h.Headers.ContainsKey("origin"));
        writer.WriteBoolean("secure", h.Secure);
        writer.WriteNumber("issued", h.Issued.ToUnixTimeMilliseconds());
        writer.WriteString("url", h.Url);
        WriteMap(writer, "query", h.Query);
        writer.WritePropertyName("auth");
        if (h.Auth.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            h.Auth.WriteTo(writer);
        }
        writer.WriteEndObject();
        RedisMessageCodec.WriteJsonArray(writer, "rooms", socket.Rooms);
        writer.WritePropertyName("data");
        PushServer.SocketIO.Protocol.SocketIOValueWriter.WriteValue(writer, socket.Data, options);
        writer.WriteEndObject();
    }

    public static bool TryRead(SocketIOAdapter adapter, JsonElement item, [NotNullWhen(true)] out RemoteSocket? socket)
    {
        socket = null;
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        var h = item.TryGetProperty("handshake", out var hs) && hs.ValueKind == JsonValueKind.Object ? hs : default;
        var handshake = new SocketIOHandshake(
            ReadMap(h, "headers"),
            ReadMap(h, "query"),
            h.ValueKind == JsonValueKind.Object && h.TryGetProperty("auth", out var auth) ? auth.Clone() : default,
            ReadString(h, "address"),
            h.ValueKind == JsonValueKind.Object && h.TryGetProperty("secure", out var secure) && secure.ValueKind == JsonValueKind.True,
            ReadString(h, "url"),
            h.ValueKind == JsonValueKind.Object && h.TryGetProperty("issued", out var issued) && issued.TryGetInt64(out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default);
        var rooms = RedisMessageCodec.ToSet(item.TryGetProperty("rooms", out var r) ? r : default);
        object? data = item.TryGetProperty("data", out var d) && d.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? d.Clone() : null;
        socket = new RemoteSocket(adapter, id.GetString()!, handshake, rooms, data);
        return true;
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    }

    private static string ReadString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static Dictionary<string, string> ReadMap(JsonElement obj, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var m) || m.ValueKind != JsonValueKind.Object)
        {
            return map;
        }
        foreach (var p in m.EnumerateObject())
        {
            map[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                // Node joins repeated headers and query parameters into arrays.
                JsonValueKind.Array => string.Join(",", p.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
                _ => p.Value.GetRawText(),
            };
        }
        return map;
    }
}
