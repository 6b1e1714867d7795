namespace PushServer.SocketIO.Protocol;

/// <summary>
/// The attachments of the packet being encoded or read on this thread. JSON converters have no other way to
/// reach per-call state, and both encoding and <see cref="System.Text.Json.JsonSerializer"/> reads are synchronous.
/// </summary>
internal static class AttachmentScope
{
    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_writing;

    [ThreadStatic]
    private static IReadOnlyList<ReadOnlyMemory<byte>>? t_reading;

    /// <summary>Collector for attachments met while writing, or null outside an encode.</summary>
    public static List<ReadOnlyMemory<byte>>? Writing
    {
        get => t_writing;
        set => t_writing = value;
    }

    /// <summary>Attachments that placeholders resolve to while reading, or null outside a read.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>>? Reading
    {
        get => t_reading;
        set => t_reading = value;
    }
}
