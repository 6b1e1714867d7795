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
    private EncodedPacket? _encodedWithOffset;

    /// <summary>Creates an event packet for namespace <paramref name="nsp"/>.</summary>
    public BroadcastPacket(string nsp, string eventName, object?[] args, long ackId = -1)
        : this(nsp, eventName, args, ackId, offset: null)
    {
    }

    private BroadcastPacket(string nsp, string eventName, object?[] args, long ackId, string? offset)
    {
        Namespace = nsp;
        EventName = eventName;
        Args = args;
        AckId = ackId;
        Offset = offset;
    }

    /// <summary>The namespace name.</summary>
    public string Namespace { get; }

    /// <summary>The event name.</summary>
    public string EventName { get; }

    /// <summary>The event arguments (JSON values, serialisable objects, bytes).</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>The ack id the recipients answer with, or -1.</summary>
    public long AckId { get; }

    /// <summary>
    /// The connection state recovery offset of a stored event, or null. Protocol v5 clients receive it as the last
    /// element of the event's data (<c>42["chat","hi","1a2b"]</c>); v4 clients, which cannot recover, never see it.
    /// </summary>
    public string? Offset { get; }

    /// <summary>The same event with an ack id, for a broadcast that collects acknowledgements.</summary>
    public BroadcastPacket WithAckId(long ackId) => new(Namespace, EventName, (object?[])Args, ackId, Offset);

    /// <summary>The same event stored for recovery under <paramref name="offset"/>.</summary>
    public BroadcastPacket WithOffset(string offset) => new(Namespace, EventName, (object?[])Args, AckId, offset);

    /// <summary>
    /// An event given back by the in-memory recovery log, which keeps only the v5 encoding (with its offset) that a
    /// recovering client is sent: <see cref="Args"/> is empty, and only <see cref="GetEncoded"/> for v5 has the event.
    /// </summary>
    internal static BroadcastPacket Recovered(string nsp, string eventName, string offset, EncodedPacket encodedWithOffset) =>
        new(nsp, eventName, [], ackId: -1, offset) { _encodedWithOffset = encodedWithOffset };

    /// <summary>The wire form for clients speaking <paramref name="version"/>, encoded on first use.</summary>
    public EncodedPacket GetEncoded(SocketIOProtocolVersion version, JsonSerializerOptions options)
    {
        // EVENT and BINARY_EVENT read the same in protocol v4 and v5, so one encoding serves every generation;
        // only a recovery offset, appended for v5 clients alone, makes a second one.
        if (Offset is not null && version == SocketIOProtocolVersion.V5)
        {
            var withOffset = Volatile.Read(ref _encodedWithOffset);
            if (withOffset is not null)
            {
                return withOffset;
            }
            object?[] args = [.. (object?[])Args, Offset];
            var encodedWithOffset = SocketIOPacketEncoder.EncodeMessage(Namespace, EventName, args.AsSpan(), AckId, options);
            return Interlocked.CompareExchange(ref _encodedWithOffset, encodedWithOffset, null) ?? encodedWithOffset;
        }
        var cached = Volatile.Read(ref _encoded);
        if (cached is not null)
        {
            return cached;
        }
        var encoded = SocketIOPacketEncoder.EncodeMessage(Namespace, EventName, ((object?[])Args).AsSpan(), AckId, options);
        return Interlocked.CompareExchange(ref _encoded, encoded, null) ?? encoded;
    }
}
