using System.Text.Json;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Adapters;

/// <summary>
/// An event to broadcast, kept unencoded (as socket.io hands <c>{type, nsp, data}</c> to its adapter) so that a
/// cluster adapter can forward it. Local delivery encodes it at most once per protocol generation present among
/// the recipients and sends that same <see cref="EncodedPacket"/> to each of them.
/// </summary>
public sealed class BroadcastPacket
{
    private EncodedPacket? _encoded;

    /// <summary>Creates an event packet for namespace <paramref name="nsp"/>.</summary>
    public BroadcastPacket(string nsp, string eventName, object?[] args, long ackId = -1)
    {
        Namespace = nsp;
        EventName = eventName;
        Args = args;
        AckId = ackId;
    }

    /// <summary>The namespace name.</summary>
    public string Namespace { get; }

    /// <summary>The event name.</summary>
    public string EventName { get; }

    /// <summary>The event arguments (JSON values, serialisable objects, bytes).</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>The ack id the recipients answer with, or -1.</summary>
    public long AckId { get; }

    /// <summary>The same event with an ack id, for a broadcast that collects acknowledgements.</summary>
    public BroadcastPacket WithAckId(long ackId) => new(Namespace, EventName, (object?[])Args, ackId);

    /// <summary>The wire form for clients speaking <paramref name="version"/>, encoded on first use.</summary>
    public EncodedPacket GetEncoded(SocketIOProtocolVersion version, JsonSerializerOptions options)
    {
        // EVENT and BINARY_EVENT read the same in protocol v4 and v5, so one encoding serves every generation;
        // only CONNECT and CONNECT_ERROR differ, and those are never broadcast. The version parameter keeps the
        // per-generation shape for packets that will differ (connection state recovery offsets are v5 only).
        _ = version;
        var cached = Volatile.Read(ref _encoded);
        if (cached is not null)
        {
            return cached;
        }
        var encoded = SocketIOPacketEncoder.EncodeMessage(Namespace, EventName, ((object?[])Args).AsSpan(), AckId, options);
        return Interlocked.CompareExchange(ref _encoded, encoded, null) ?? encoded;
    }
}
