using System.Text.Json;

namespace PushServer.SocketIO.Internal;

/// <summary>
/// Reads a socket's data as the type the application stored. Data that crossed a node (a socket fetched from another
/// node, a session restored from Redis) travels as plain JSON or MessagePack, which carries no .NET type, and so it
/// arrives as a <see cref="JsonElement"/>, bytes as base64 strings: System.Text.Json reads those back into the type,
/// and base64 strings back into <c>byte[]</c>.
/// </summary>
internal static class SocketData
{
    public static T? As<T>(object? data, JsonSerializerOptions options) => data switch
    {
        null => default,
        T typed => typed,
        JsonElement { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => default,
        JsonElement element => element.Deserialize<T>(options),
        // Stored as another type on this node: read through JSON, as it would be on any other node.
        _ => JsonSerializer.SerializeToElement(data, data.GetType(), options).Deserialize<T>(options),
    };
}
