using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PushServer.EngineIO;

namespace PushServer.SocketIO.Adapters;

/// <summary>
/// The single-node adapter (socket.io-adapter's in-memory adapter): rooms in two maps, delivery to local
/// sockets. Each broadcast is encoded once and the same packet is queued on every recipient.
/// Cluster adapters derive from it and keep using it for local delivery.
/// </summary>
public class InMemoryAdapter : SocketIOAdapter
{
    private readonly Lock _lock = new();
    // room -> its local members' ids, and socket id -> its rooms; values are changed in place (see MemberSet).
    private readonly Dictionary<string, MemberSet> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemberSet> _sids = new(StringComparer.Ordinal);

    private readonly RecoveryLog? _recovery;

    /// <summary>Creates the adapter of <paramref name="nsp"/>.</summary>
    public InMemoryAdapter(SocketIONamespace nsp)
        : this(nsp, keepRecoveryLog: true)
    {
    }

    /// <summary>
    /// Creates the adapter of <paramref name="nsp"/>. With <paramref name="keepRecoveryLog"/> false, connection state
    /// recovery is left to the derived adapter: no event is stored here, and an event reaches local clients with the
    /// offset it already carries (<see cref="BroadcastPacket.WithOffset"/>), as a cluster adapter whose offsets come
    /// from a shared log needs.
    /// </summary>
    protected InMemoryAdapter(SocketIONamespace nsp, bool keepRecoveryLog)
        : base(nsp)
    {
        var server = nsp.Server;
        if (keepRecoveryLog && server.Options.ConnectionStateRecovery is { } recovery)
        {
            _recovery = new RecoveryLog(nsp.Name, recovery, server.TimeProvider, server.SerializerOptions);
        }
    }

    /// <inheritdoc />
    public override void PersistSession(PersistedSession session) => _recovery?.Persist(session);

    /// <inheritdoc />
    public override ValueTask<bool> RestoreSessionAsync(
        string pid, string offset, Func<RecoveredSession, bool> attach, CancellationToken cancellationToken)
    {
        if (_recovery is null)
        {
            return new(false);
        }
        lock (_recovery.Gate)
        {
            var session = _recovery.TryRestore(pid, offset);
            return new(session is not null && attach(session));
        }
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _recovery?.Dispose();
        return base.DisposeAsync();
    }

    /// <summary>
    /// Raised with (room, socket id) when a room of this node gets its first local member (socket.io-adapter's
    /// <c>create-room</c>), after the change and outside the adapter's lock. A socket's own id room is included, as in
    /// socket.io; it is the one whose name equals the socket id.
    /// </summary>
    public event Action<string, string>? RoomCreated;

    /// <summary>
    /// Raised with (room, socket id) when a room of this node loses its last local member, that socket
    /// (socket.io-adapter's <c>delete-room</c>).
    /// </summary>
    public event Action<string, string>? RoomDeleted;

    /// <summary>
    /// Raised with (room, socket id) each time a local socket enters a room it was not in (socket.io-adapter's
    /// <c>join-room</c>), after the change and outside the adapter's lock; the socket's own id room included.
    /// </summary>
    public event Action<string, string>? RoomJoined;

    /// <summary>
    /// Raised with (room, socket id) each time a local socket leaves a room it was in, also when it disconnects
    /// (socket.io-adapter's <c>leave-room</c>).
    /// </summary>
    public event Action<string, string>? RoomLeft;

    /// <inheritdoc />
    public override void AddAll(string socketId, IEnumerable<string> rooms)
    {
        List<string>? created = null;
        List<string>? joined = null;
        lock (_lock)
        {
            ref var socketRooms = ref CollectionsMarshal.GetValueRefOrAddDefault(_sids, socketId, out _);
            foreach (var room in rooms)
            {
                if (socketRooms.Add(room) && RoomJoined is not null)
                {
                    (joined ??= []).Add(room);
                }
                ref var members = ref CollectionsMarshal.GetValueRefOrAddDefault(_rooms, room, out var existed);
                if (!existed && RoomCreated is not null)
                {
                    (created ??= []).Add(room);
                }
                members.Add(socketId);
            }
        }
        Raise(RoomCreated, created, socketId);
        Raise(RoomJoined, joined, socketId);
    }

    /// <inheritdoc />
    public override void Del(string socketId, string room)
    {
        List<string>? deleted = null;
        var left = false;
        lock (_lock)
        {
            ref var socketRooms = ref CollectionsMarshal.GetValueRefOrNullRef(_sids, socketId);
            if (!Unsafe.IsNullRef(ref socketRooms))
            {
                left = socketRooms.Remove(room);
            }
            RemoveMember(room, socketId, ref deleted);
        }
        Raise(RoomDeleted, deleted, socketId);
        if (left)
        {
            RoomLeft?.Invoke(room, socketId);
        }
    }

    /// <inheritdoc />
    public override void DelAll(string socketId)
    {
        List<string>? deleted = null;
        List<string>? left = null;
        lock (_lock)
        {
            if (!_sids.Remove(socketId, out var socketRooms))
            {
                return;
            }
            foreach (var room in socketRooms)
            {
                RemoveMember(room, socketId, ref deleted);
                if (RoomLeft is not null)
                {
                    (left ??= []).Add(room);
                }
            }
        }
        Raise(RoomDeleted, deleted, socketId);
        Raise(RoomLeft, left, socketId);
    }

    /// <inheritdoc />
    public override IReadOnlySet<string>? GetSocketRooms(string socketId)
    {
        lock (_lock)
        {
            if (!_sids.TryGetValue(socketId, out var rooms))
            {
                return null;
            }
            var copy = new HashSet<string>(StringComparer.Ordinal);
            rooms.CopyTo(copy);
            return copy;
        }
    }

    /// <inheritdoc />
    public override void Broadcast(BroadcastPacket packet, BroadcastOptions options) => BroadcastLocally(packet, options);

    /// <inheritdoc />
    public override ValueTask<BroadcastResult> BroadcastAsync(BroadcastPacket packet, BroadcastOptions options, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new BroadcastResult(BroadcastLocally(packet, options), BroadcastReach.ThisNode));

    /// <summary>Delivers <paramref name="packet"/> to the selected local sockets; returns how many were selected.</summary>
    protected int BroadcastLocally(BroadcastPacket packet, BroadcastOptions options)
    {
        // With recovery on, a plain event (no ack, not volatile) is stored under an offset, as socket.io's
        // SessionAwareAdapter does; storing and delivering happen under one gate that restoring sessions also take.
        if (_recovery is not null && packet.AckId < 0 && packet.Offset is null && !options.Flags.Volatile)
        {
            lock (_recovery.Gate)
            {
                return Deliver(_recovery.Append(packet, options), options);
            }
        }
        return Deliver(packet, options);
    }

    private int Deliver(BroadcastPacket packet, BroadcastOptions options)
    {
        // The recipients are collected under the lock and written to outside it. The list is the thread's cached one,
        // so a broadcast allocates nothing per recipient; a broadcast made from inside another (an outgoing handler
        // emitting) finds it taken and uses a fresh list.
        var targets = t_targets ?? new List<SocketIOSocket>();
        t_targets = null;
        try
        {
            CollectSockets(options, targets);
            var serializer = Namespace.Server.SerializerOptions;
            var isVolatile = options.Flags.Volatile;
            // Queued here in order, written by a few work items once all are queued.
            using var fanOut = EngineFanOut.Begin(targets.Count);
            foreach (var socket in targets)
            {
                socket.NotifyOutgoing(packet.EventName, packet.Args);
                WriteToSocket(socket, packet.GetEncoded(socket.Protocol, serializer), isVolatile);
            }
            return targets.Count;
        }
        finally
        {
            targets.Clear();
            t_targets = targets;
        }
    }

    [ThreadStatic]
    private static List<SocketIOSocket>? t_targets;

    /// <inheritdoc />
    public override void BroadcastWithAck(
        BroadcastPacket packet, BroadcastOptions options, Action<int> clientCountCallback, Action<SocketIOArgs> ack)
    {
        var targets = CollectSockets(options);
        // One id valid on every target, registered before anything is sent so no ack can arrive unknown;
        // the shared id keeps the encode-once rule for broadcasts with acks too.
        var withId = packet.WithAckId(RegisterBroadcastAck(targets, ack));
        var serializer = Namespace.Server.SerializerOptions;
        var isVolatile = options.Flags.Volatile;
        using (EngineFanOut.Begin(targets.Count))
        {
            foreach (var socket in targets)
            {
                socket.NotifyOutgoing(packet.EventName, packet.Args);
                WriteToSocket(socket, withId.GetEncoded(socket.Protocol, serializer), isVolatile);
            }
        }
        clientCountCallback(targets.Count);
    }

    /// <inheritdoc />
    public override IReadOnlySet<string> GetSockets(IReadOnlySet<string> rooms)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var socket in CollectSockets(new BroadcastOptions { Rooms = rooms }))
        {
            result.Add(socket.Id);
        }
        return result;
    }

    /// <inheritdoc />
    public override Task<ClusterResult<IReadOnlyList<RemoteSocket>>> FetchSocketsFromClusterAsync(
        BroadcastOptions options, CancellationToken cancellationToken) =>
        Task.FromResult(ClusterResult<IReadOnlyList<RemoteSocket>>.Local(FetchLocalSockets(options)));

    /// <summary>Describes the selected local sockets.</summary>
    protected List<RemoteSocket> FetchLocalSockets(BroadcastOptions options)
    {
        var targets = CollectSockets(options);
        var result = new List<RemoteSocket>(targets.Count);
        foreach (var s in targets)
        {
            result.Add(new RemoteSocket(this, s.Id, s.Handshake, s.Rooms, s.Data));
        }
        return result;
    }

    /// <inheritdoc />
    public override void AddSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var socket in CollectSockets(options))
        {
            socket.Join(rooms);
        }
    }

    /// <inheritdoc />
    public override void DelSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var socket in CollectSockets(options))
        {
            foreach (var room in rooms)
            {
                socket.Leave(room);
            }
        }
    }

    /// <inheritdoc />
    public override void DisconnectSockets(BroadcastOptions options, bool close)
    {
        foreach (var socket in CollectSockets(options))
        {
            socket.Disconnect(close);
        }
    }

    /// <inheritdoc />
    /// <remarks>There are no other nodes, so there is nobody to tell.</remarks>
    public override void ServerSideEmit(string eventName, IReadOnlyList<object?> args)
    {
    }

    /// <inheritdoc />
    public override Task<int> ServerCountAsync(CancellationToken cancellationToken) => Task.FromResult(1);

    /// <inheritdoc />
    public override Task<ClusterResult<IReadOnlySet<string>>> AllRoomsFromClusterAsync(CancellationToken cancellationToken) =>
        Task.FromResult(ClusterResult<IReadOnlySet<string>>.Local(LocalRooms()));

    /// <summary>The rooms that have members on this node.</summary>
    protected HashSet<string> LocalRooms()
    {
        lock (_lock)
        {
            return new HashSet<string>(_rooms.Keys, StringComparer.Ordinal);
        }
    }

    /// <summary>True when <paramref name="room"/> has a member on this node.</summary>
    protected bool HasLocalRoom(string room)
    {
        lock (_lock)
        {
            return _rooms.ContainsKey(room);
        }
    }

    /// <summary>The local sockets selected by <paramref name="options"/>, each once (socket.io-adapter's <c>apply</c>).</summary>
    protected List<SocketIOSocket> CollectSockets(BroadcastOptions options)
    {
        var result = new List<SocketIOSocket>();
        CollectSockets(options, result);
        return result;
    }

    private void CollectSockets(BroadcastOptions options, List<SocketIOSocket> result)
    {
        lock (_lock)
        {
            var except = ExceptIds(options.Except);
            if (options.Rooms.Count > 0)
            {
                HashSet<string>? seen = options.Rooms.Count > 1 ? new(StringComparer.Ordinal) : null;
                foreach (var room in options.Rooms)
                {
                    if (!_rooms.TryGetValue(room, out var members))
                    {
                        continue;
                    }
                    foreach (var id in members)
                    {
                        if ((except is not null && except.Contains(id)) || (seen is not null && !seen.Add(id)))
                        {
                            continue;
                        }
                        if (Namespace.TryGetSocket(id, out var socket))
                        {
                            result.Add(socket);
                        }
                    }
                }
            }
            else
            {
                foreach (var id in _sids.Keys)
                {
                    if (except is not null && except.Contains(id))
                    {
                        continue;
                    }
                    if (Namespace.TryGetSocket(id, out var socket))
                    {
                        result.Add(socket);
                    }
                }
            }
        }
    }

    private HashSet<string>? ExceptIds(IReadOnlySet<string> exceptRooms)
    {
        if (exceptRooms.Count == 0)
        {
            return null;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var room in exceptRooms)
        {
            if (_rooms.TryGetValue(room, out var members))
            {
                members.CopyTo(ids);
            }
        }
        return ids;
    }

    private void RemoveMember(string room, string socketId, ref List<string>? deleted)
    {
        ref var members = ref CollectionsMarshal.GetValueRefOrNullRef(_rooms, room);
        if (!Unsafe.IsNullRef(ref members) && members.Remove(socketId) && members.Count == 0)
        {
            _rooms.Remove(room);
            if (RoomDeleted is not null)
            {
                (deleted ??= []).Add(room);
            }
        }
    }

    private static void Raise(Action<string, string>? handler, List<string>? rooms, string socketId)
    {
        if (handler is null || rooms is null)
        {
            return;
        }
        foreach (var room in rooms)
        {
            handler(room, socketId);
        }
    }
}
