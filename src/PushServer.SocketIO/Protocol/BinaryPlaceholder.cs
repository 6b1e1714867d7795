using System.Text.Json;

namespace PushServer.SocketIO.Protocol;

/// <summary>The <c>{"_placeholder":true,"num":K}</c> object that stands for attachment K in a binary packet.</summary>
public static class BinaryPlaceholder
{
    /// <summary>True when <paramref name="element"/> is an object whose <c>_placeholder</c> is <c>true</c>.</summary>
    public static bool IsPlaceholder(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("_placeholder"u8, out var flag)
        && flag.ValueKind == JsonValueKind.True;

    /// <summary>Reads the attachment index of a placeholder, requiring an integer in <c>[0, count)</c>.</summary>
    public static bool TryGetIndex(JsonElement placeholder, int count, out int index)
    {
        index = -1;
        return placeholder.TryGetProperty("num"u8, out var num)
            && num.ValueKind == JsonValueKind.Number
            && num.TryGetInt32(out index)
            && index >= 0
            && index < count;
    }

    /// <summary>Writes a placeholder for attachment <paramref name="index"/>.</summary>
    public static void Write(Utf8JsonWriter writer, int index)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("_placeholder"u8, true);
        writer.WriteNumber("num"u8, index);
        writer.WriteEndObject();
    }
}
