using System.Text.Json;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Adapters;

/// <summary>
/// Room membership and delivery for one namespace, following socket.io-adapter's contract. The in-memory
/// adapter serves one node; a cluster adapter (Redis) replaces it through DI and forwards to other nodes.
/// Methods that only touch local state are synchronous; those that may ask other nodes are asynchronous.
/// </summary>
public abstract class SocketIOAdapter : IAsyncDisposable
{
    /// <summary>Creates the adapter of <paramref name="nsp"/>.</summary>
    protected SocketIOAdapter(SocketIONamespace nsp)
    {
        Namespace = nsp;
    }

    /// <summary>The namespace this adapter serves.</summary>
    public SocketIONamespace Namespace { get; }

    /// <summary>Starts the adapter (subscriptions and the like). Called once, when the namespace is created.</summary>
    public virtual ValueTask InitAsync(CancellationToken cancellationToken) => default;

    /// <summary>Adds a local socket to rooms (socket.io's <c>addAll</c>).</summary>
    public abstract void AddAll(string socketId, IEnumerable<string> rooms);

    /// <summary>Removes a local socket from one room (<c>del</c>).</summary>
    public abstract void Del(string socketId, string room);

    /// <summary>Removes a local socket from every room (<c>delAll</c>), when it disconnects.</summary>
    public abstract void DelAll(string socketId);

    /// <summary>The rooms of a local socket, or null when unknown (<c>socketRooms</c>).</summary>
    public abstract IReadOnlySet<string>? GetSocketRooms(string socketId);

    /// <summary>Sends <paramref name="packet"/> to every selected socket (<c>broadcast</c>).</summary>
    public abstract void Broadcast(BroadcastPacket packet, BroadcastOptions options);

    /// <summary>
    /// Sends <paramref name="packet"/> to every selected socket and reports where it went: how many local clients it
    /// was queued for and whether the other nodes were reached. The default calls <see cref="Broadcast"/>.
    /// </summary>
    public virtual ValueTask<BroadcastResult> BroadcastAsync(BroadcastPacket packet, BroadcastOptions options, CancellationToken cancellationToken)
    {
        Broadcast(packet, options);
        return ValueTask.FromResult(new BroadcastResult(-1, BroadcastReach.ThisNode));
    }

    /// <summary>
    /// Sends <paramref name="packet"/> asking each selected socket for an acknowledgement (<c>broadcastWithAck</c>).
    /// <paramref name="clientCountCallback"/> is called once per node with the number of clients it sent to;
    /// <paramref name="ack"/> is called with each client's answer as it arrives.
    /// </summary>
    public abstract void BroadcastWithAck(
        BroadcastPacket packet, BroadcastOptions options, Action<int> clientCountCallback, Action<SocketIOArgs> ack);

    /// <summary>The ids of the local sockets selected by <paramref name="rooms"/> (all when empty) (<c>sockets</c>).</summary>
    public abstract IReadOnlySet<string> GetSockets(IReadOnlySet<string> rooms);

    /// <summary>
    /// Describes the selected sockets on every node (<c>fetchSockets</c>), saying which nodes did not answer within the
    /// request timeout (<see cref="BroadcastFlags.Timeout"/> when set) instead of failing.
    /// </summary>
    public abstract Task<ClusterResult<IReadOnlyList<RemoteSocket>>> FetchSocketsFromClusterAsync(
        BroadcastOptions options, CancellationToken cancellationToken);

    /// <summary>Describes the selected sockets of this node and of every node that answered in time.</summary>
    public async Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken) =>
        (await FetchSocketsFromClusterAsync(options, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Makes the selected sockets join <paramref name="rooms"/> (<c>addSockets</c>).</summary>
    public abstract void AddSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    /// <summary>Makes the selected sockets leave <paramref name="rooms"/> (<c>delSockets</c>).</summary>
    public abstract void DelSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    /// <summary>Disconnects the selected sockets; <paramref name="close"/> closes their whole connection (<c>disconnectSockets</c>).</summary>
    public abstract void DisconnectSockets(BroadcastOptions options, bool close);

    /// <summary>Sends an event to the other nodes' namespace of the same name (<c>serverSideEmit</c>).</summary>
    public abstract void ServerSideEmit(string eventName, IReadOnlyList<object?> args);

    /// <summary>
    /// Sends an event to the other nodes and collects one answer per node (<c>serverSideEmitWithAck</c>); nodes that
    /// do not answer within the request timeout are reported as missing. The default (a single node) answers nothing.
    /// </summary>
    public virtual Task<ClusterResult<IReadOnlyList<JsonElement>>> ServerSideEmitWithAckAsync(
        string eventName, IReadOnlyList<object?> args, CancellationToken cancellationToken) =>
        Task.FromResult(ClusterResult<IReadOnlyList<JsonElement>>.Local([]));

    /// <summary>How many nodes share this namespace, this one included (<c>serverCount</c>).</summary>
    public abstract Task<int> ServerCountAsync(CancellationToken cancellationToken);

    /// <summary>Every room known on any node (<c>allRooms</c>), saying which nodes did not answer.</summary>
    public abstract Task<ClusterResult<IReadOnlySet<string>>> AllRoomsFromClusterAsync(CancellationToken cancellationToken);

    /// <summary>Every room known on this node and on every node that answered in time.</summary>
    public async Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken) =>
        (await AllRoomsFromClusterAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// Keeps the session of a socket that disconnected for a recoverable reason, for connection state recovery
    /// (socket.io-adapter's <c>persistSession</c>). Only called when recovery is on. The default keeps nothing.
    /// </summary>
    public virtual void PersistSession(PersistedSession session)
    {
    }

    /// <summary>
    /// Finds a persisted session for a reconnecting client and the events it missed after <paramref name="offset"/>
    /// (socket.io-adapter's <c>restoreSession</c>), and if found calls <paramref name="attach"/> with it. An adapter
    /// makes sure that each stored event is either among the missed events or delivered to the socket
    /// <paramref name="attach"/> registers, never both. Returns whether a session was attached; the default finds none.
    /// </summary>
    public virtual ValueTask<bool> RestoreSessionAsync(
        string pid, string offset, Func<RecoveredSession, bool> attach, CancellationToken cancellationToken) => new(false);

    /// <summary>Stops the adapter.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return default;
    }

    /// <summary>
    /// Queues an encoded packet on a local socket's connection, as socket.io's <c>client.writeToEngine</c>.
    /// Returns false when the socket's connection is gone or, for a volatile send, the packet was dropped.
    /// </summary>
    protected static bool WriteToSocket(SocketIOSocket socket, EncodedPacket packet, bool isVolatile) =>
        socket.WriteEncoded(packet, isVolatile);

    /// <summary>Reserves an ack id on each of <paramref name="sockets"/> and registers <paramref name="ack"/> under it.</summary>
    protected long RegisterBroadcastAck(IReadOnlyList<SocketIOSocket> sockets, Action<SocketIOArgs> ack) =>
        Namespace.RegisterBroadcastAck(sockets, ack);
}
