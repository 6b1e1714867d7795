using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

/// <summary>
/// An immutable selection of sockets with broadcast flags, as socket.io's <c>BroadcastOperator</c>:
/// <c>io.To("room").Except("other").Volatile.Emit("x", 1)</c>. Each modifier returns a new operator.
/// </summary>
public sealed class BroadcastOperator
{
    private readonly SocketIONamespace _nsp;

    internal BroadcastOperator(SocketIONamespace nsp, BroadcastOptions options)
    {
        _nsp = nsp;
        Options = options;
    }

    /// <summary>The selection and flags handed to the adapter.</summary>
    public BroadcastOptions Options { get; }

    /// <summary>Adds a room to the target rooms (union).</summary>
    public BroadcastOperator To(string room) => To([room]);

    /// <summary>Adds rooms to the target rooms (union).</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) =>
        new(_nsp, Options with { Rooms = Union(Options.Rooms, rooms) });

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Leaves out members of <paramref name="room"/>.</summary>
    public BroadcastOperator Except(string room) => Except([room]);

    /// <summary>Leaves out members of any of <paramref name="rooms"/>.</summary>
    public BroadcastOperator Except(IEnumerable<string> rooms) =>
        new(_nsp, Options with { Except = Union(Options.Except, rooms) });

    /// <summary>Drops the packet for clients that cannot take it right away.</summary>
    public BroadcastOperator Volatile => new(_nsp, Options with { Flags = Options.Flags with { Volatile = true } });

    /// <summary>Delivers on this node only.</summary>
    public BroadcastOperator Local => new(_nsp, Options with { Flags = Options.Flags with { Local = true } });

    /// <summary>Sets the compression hint.</summary>
    public BroadcastOperator Compress(bool compress) => new(_nsp, Options with { Flags = Options.Flags with { Compress = compress } });

    /// <summary>
    /// Sets how long <see cref="EmitWithAckAsync"/> waits for every acknowledgement, and how long
    /// <see cref="FetchSocketsAsync"/> and <see cref="FetchSocketsFromClusterAsync"/> wait for the other nodes (the
    /// adapter's request timeout otherwise).
    /// </summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => new(_nsp, Options with { Flags = Options.Flags with { Timeout = timeout } });

    /// <summary>Emits an event to every selected socket. Reserved names (<c>connect</c>, <c>disconnect</c>…) throw.</summary>
    /// <exception cref="SocketIOPacketTooLargeException">The encoded packet is larger than <see cref="SocketIOOptions.MaxOutboundPacketBytes"/>; nothing was sent.</exception>
    public bool Emit(string eventName, params object?[] args)
    {
        SocketIOSocket.ThrowIfReserved(eventName);
        _nsp.Adapter.Broadcast(Checked(new BroadcastPacket(_nsp.Name, eventName, args)), Options);
        return true;
    }

    /// <summary>
    /// Emits an event to every selected socket and reports where it went: how many clients of this node it was
    /// queued for, and whether the other nodes were reached (<see cref="BroadcastReach.ThisNodeOnlyClusterUnavailable"/>
    /// when a cluster adapter could not hand it on).
    /// </summary>
    /// <exception cref="SocketIOPacketTooLargeException">The encoded packet is larger than <see cref="SocketIOOptions.MaxOutboundPacketBytes"/>; nothing was sent.</exception>
    public ValueTask<BroadcastResult> EmitAsync(string eventName, IReadOnlyList<object?>? args = null, CancellationToken cancellationToken = default)
    {
        SocketIOSocket.ThrowIfReserved(eventName);
        var packet = Checked(new BroadcastPacket(_nsp.Name, eventName, args is null ? [] : [.. args]));
        return _nsp.Adapter.BroadcastAsync(packet, Options, cancellationToken);
    }

    /// <summary>
    /// Emits an event asking every selected client for an acknowledgement (socket.io's <c>emitWithAck</c> on a broadcast)
    /// and returns all answers once every client, on every node, has answered. Nothing else is asked of the other nodes:
    /// each reports how many clients it sent to and then their answers, as socket.io's adapters do, so a node that
    /// answers nothing only makes this wait until the timeout.
    /// </summary>
    /// <exception cref="SocketIOAckTimeoutException">
    /// The timeout set with <see cref="Timeout"/> passed first; carries the answers received and, in
    /// <see cref="SocketIOAckTimeoutException.Expected"/>, the clients counted: this node's and those each other node
    /// reported by then.
    /// </exception>
    /// <exception cref="SocketIOPacketTooLargeException">The encoded packet is larger than <see cref="SocketIOOptions.MaxOutboundPacketBytes"/>; nothing was sent.</exception>
    public async Task<IReadOnlyList<SocketIOArgs>> EmitWithAckAsync(
        string eventName, IReadOnlyList<object?>? args = null, CancellationToken cancellationToken = default)
    {
        SocketIOSocket.ThrowIfReserved(eventName);
        var packet = Checked(new BroadcastPacket(_nsp.Name, eventName, args is null ? [] : [.. args]));
        var collector = new BroadcastAckCollector();
        _nsp.Adapter.BroadcastWithAck(packet, Options, collector.OnClientCount, collector.OnAck);
        var serverCount = _nsp.Adapter.ServerCountAsync(cancellationToken);
        _ = serverCount.ContinueWith(
            static (t, s) => { if (t.IsCompletedSuccessfully) ((BroadcastAckCollector)s!).OnServerCount(t.Result); },
            collector, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var timeout = Options.Flags.Timeout ?? System.Threading.Timeout.InfiniteTimeSpan;
        try
        {
            return await collector.Task.WaitAsync(timeout, _nsp.Server.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var (responses, expected) = collector.Snapshot();
            throw new SocketIOAckTimeoutException(
                $"operation has timed out: {responses.Count} of {expected} acknowledgements received", responses, expected);
        }
    }

    /// <summary>Describes the selected sockets, on every node.</summary>
    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) =>
        _nsp.Adapter.FetchSocketsAsync(Options, cancellationToken);

    /// <summary>
    /// Describes the selected sockets on every node, saying which nodes did not answer within the adapter's request
    /// timeout, or the one set with <see cref="Timeout"/> (where <see cref="FetchSocketsAsync"/> keeps only what arrived).
    /// </summary>
    /// <example><code>
    /// // Is user 42 connected anywhere? Ask for at most a second, whatever a hung node does.
    /// var found = await io.To("uid:42").Timeout(TimeSpan.FromSeconds(1)).FetchSocketsFromClusterAsync();
    /// </code></example>
    public Task<ClusterResult<IReadOnlyList<RemoteSocket>>> FetchSocketsFromClusterAsync(CancellationToken cancellationToken = default) =>
        _nsp.Adapter.FetchSocketsFromClusterAsync(Options, cancellationToken);

    /// <summary>Makes the selected sockets join <paramref name="rooms"/>.</summary>
    public void SocketsJoin(params string[] rooms) => _nsp.Adapter.AddSockets(Options, rooms);

    /// <summary>Makes the selected sockets leave <paramref name="rooms"/>.</summary>
    public void SocketsLeave(params string[] rooms) => _nsp.Adapter.DelSockets(Options, rooms);

    /// <summary>Disconnects the selected sockets; <paramref name="close"/> closes their whole connection.</summary>
    public void DisconnectSockets(bool close = false) => _nsp.Adapter.DisconnectSockets(Options, close);

    /// <summary>
    /// Refuses a packet no client could be sent, before any node or client sees it. Checked once per broadcast on the
    /// encoding the recipients share (made here, and the one the adapter then queues), so it costs nothing per
    /// recipient. A recovery offset or broadcast ack id, added later, means a second encoding a few bytes longer,
    /// which the queue absorbs (it takes one packet of any size).
    /// </summary>
    private BroadcastPacket Checked(BroadcastPacket packet)
    {
        var server = _nsp.Server;
        var size = packet.GetEncoded(SocketIOProtocolVersion.V5, server.SerializerOptions).Size;
        if (size > server.Options.MaxOutboundPacketBytes)
        {
            SocketIOMetrics.Limit("max_outbound_packet_bytes");
            throw new SocketIOPacketTooLargeException(size, server.Options.MaxOutboundPacketBytes);
        }
        return packet;
    }

    private static HashSet<string> Union(IReadOnlySet<string> existing, IEnumerable<string> more)
    {
        var set = new HashSet<string>(existing, StringComparer.Ordinal);
        set.UnionWith(more);
        return set;
    }
}
