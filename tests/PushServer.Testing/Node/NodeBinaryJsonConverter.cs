using System.Text.Json;
using System.Text.Json.Serialization;

namespace PushServer.Testing;

/// <summary>
/// Writes <c>byte[]</c> as <c>{"$binary":"&lt;base64&gt;"}</c>, the drivers' form for real binary
/// (a Buffer on the Node side), instead of System.Text.Json's plain base64 string.
/// </summary>
internal sealed class NodeBinaryJsonConverter : JsonConverter<byte[]>
{
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return NodeClient.GetBinary(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteBase64String(NodeClient.BinaryKey, value);
        writer.WriteEndObject();
    }
}
