using System.Text.Json;

namespace PushServer.SocketIO.Protocol;

/// <summary>
/// Writes argument values as Socket.IO sends them, for code that carries events beyond a client connection: a
/// cluster adapter forwarding broadcasts, acknowledgements and socket data to other nodes writes them exactly as the
/// packet encoder would, binary values included.
/// </summary>
public static class SocketIOValueWriter
{
    /// <summary>
    /// The collector of the innermost <see cref="CollectAttachments"/> scope on this thread, or null when binary values
    /// are written inline as base64.
    /// </summary>
    public static List<ReadOnlyMemory<byte>>? CurrentAttachments => AttachmentScope.Writing;

    /// <summary>
    /// Writes one value as the packet encoder writes an event argument: common shapes directly, anything else through
    /// the serializer with <paramref name="options"/>. A binary value (<see cref="T:byte[]"/>, byte memory or segment,
    /// also inside a serialized object) becomes a placeholder <c>{"_placeholder":true,"num":K}</c> whose bytes are
    /// added to <see cref="CurrentAttachments"/>; outside a <see cref="CollectAttachments"/> scope it is written as a
    /// base64 string.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options) =>
        SocketIOPacketEncoder.WriteValue(writer, value, options);

    /// <summary>
    /// Makes <paramref name="attachments"/> the collector of binary values written on this thread until the returned
    /// scope is disposed (null: written inline as base64). Scopes nest: disposing one restores the collector before it.
    /// Encoding is synchronous, so a scope must not span an <c>await</c>.
    /// </summary>
    public static AttachmentCollectionScope CollectAttachments(List<ReadOnlyMemory<byte>>? attachments)
    {
        var previous = AttachmentScope.Writing;
        AttachmentScope.Writing = attachments;
        return new AttachmentCollectionScope(previous);
    }
}

/// <summary>The scope opened by <see cref="SocketIOValueWriter.CollectAttachments"/>; disposing it restores the previous collector.</summary>
public readonly struct AttachmentCollectionScope : IDisposable
{
    private readonly List<ReadOnlyMemory<byte>>? _previous;

    internal AttachmentCollectionScope(List<ReadOnlyMemory<byte>>? previous) => _previous = previous;

    /// <summary>Restores the collector that was current when the scope was opened.</summary>
    public void Dispose() => AttachmentScope.Writing = _previous;
}
