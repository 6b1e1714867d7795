namespace PushServer.SocketIO;

/// <summary>
/// A broadcast whose encoded packet is larger than <see cref="SocketIOOptions.MaxOutboundPacketBytes"/>: it was sent
/// to nobody, on any node. Usually the caller's input (a client's relayed event, a backend's push) is too large; JSON
/// escaping (an emoji becomes 12 bytes, a control character 6) can make the packet much larger than that input.
/// </summary>
public sealed class SocketIOPacketTooLargeException : InvalidOperationException
{
    /// <summary>Creates the exception for a packet of <paramref name="size"/> bytes against <paramref name="limit"/>.</summary>
    public SocketIOPacketTooLargeException(long size, long limit)
        : base($"The packet is {size} bytes once encoded, more than MaxOutboundPacketBytes ({limit}); it was sent to nobody.")
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>The encoded packet's size in bytes, attachments included.</summary>
    public long Size { get; }

    /// <summary>The limit it passed (<see cref="SocketIOOptions.MaxOutboundPacketBytes"/>).</summary>
    public long Limit { get; }
}
