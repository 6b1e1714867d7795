using System.Buffers;
using System.Text.Json;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Redis.Streams;

/// <summary>
/// Conversions between the plain values a cluster message decodes to (what MessagePack decoding gives: dictionaries,
/// lists, strings, long or double, booleans, bytes) and JSON, so JSON data and MessagePack data are handled alike.
/// </summary>
internal static class PlainValues
{
    /// <summary>Parses JSON text into plain values, as <c>JSON.parse</c> would.</summary>
    public static object? FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>A JSON element as plain values.</summary>
    public static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = FromJson(property.Value);
                }
                return map;
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(FromJson(item));
                }
                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                // Boxed each as itself: a plain conditional would turn the long into a double.
                return element.TryGetInt64(out var l) ? (object)l : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>
    /// A plain value as a JSON element (bytes as base64 strings), for values kept rather than forwarded: a
    /// recovered socket's data, a fetched remote socket, a server-side emit's answer.
    /// </summary>
    public static JsonElement ToJsonElement(object? value, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (SocketIOValueWriter.CollectAttachments(null))
        using (var writer = new Utf8JsonWriter(buffer))
        {
            SocketIOValueWriter.WriteValue(writer, value, options);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>A remote client's acknowledgement (one value) as the arguments a local one arrives with, bytes as attachments.</summary>
    public static SocketIOArgs ToArgs(object? value, JsonSerializerOptions options) => SocketIOArgs.FromValues([value], options);

    /// <summary>A list of room names (numbers as Node prints them).</summary>
    public static HashSet<string> ToSet(object? value) => Protocol.RedisMessageCodec.ToSet(value);
}
