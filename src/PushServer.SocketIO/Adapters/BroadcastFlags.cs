namespace PushServer.SocketIO.Adapters;

/// <summary>Modifiers of a broadcast, as socket.io's <c>flags</c> (<c>{volatile, local, compress, timeout}</c>).</summary>
public sealed record BroadcastFlags
{
    /// <summary>No flags set.</summary>
    public static BroadcastFlags None { get; } = new();

    /// <summary>Drop the packet for clients whose transport cannot write it right away.</summary>
    public bool Volatile { get; init; }

    /// <summary>Deliver on this node only; a cluster adapter does not forward it.</summary>
    public bool Local { get; init; }

    /// <summary>Compression hint for the transport (socket.io's <c>compress</c>); null leaves the default.</summary>
    public bool? Compress { get; init; }

    /// <summary>
    /// How long a broadcast with acknowledgements waits for every ack; on a fetch of sockets, how long a cluster adapter
    /// waits for the other nodes instead of its request timeout (as socket.io's cluster adapter reads it).
    /// </summary>
    public TimeSpan? Timeout { get; init; }
}
