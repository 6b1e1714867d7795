using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

public sealed partial class SocketIOSocket
{
    // Guarded by Namespace.AckLock, which broadcasts with acks also take to pick one id valid on all targets.
    // Acks this server waits for, under Namespace.AckLock; created with the first one, as most sockets never ask.
    private Dictionary<long, Action<SocketIOArgs>>? _acks;
    private long _nextAckId;

    /// <summary>Every other socket of the namespace (socket.io's <c>socket.broadcast</c>).</summary>
    public BroadcastOperator Broadcast => NewOperator();

    /// <summary>Members of <paramref name="room"/>, this socket excluded.</summary>
    public BroadcastOperator To(string room) => NewOperator().To(room);

    /// <summary>Members of any of <paramref name="rooms"/>, this socket excluded.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => NewOperator().To(rooms);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Every other socket except members of <paramref name="room"/>.</summary>
    public BroadcastOperator Except(string room) => NewOperator().Except(room);

    /// <summary>Emits to this client only if its transport can take the packet right away.</summary>
    public SocketIOEmitter Volatile => new(this, isVolatile: true, timeout: null);

    /// <summary>Emits with a timeout on the acknowledgement.</summary>
    public SocketIOEmitter Timeout(TimeSpan timeout) => new(this, isVolatile: false, timeout);

    /// <summary>Emits an event to this client: <c>42["name",args…]</c>, binary arguments as attachments.</summary>
    /// <exception cref="ArgumentException"><paramref name="eventName"/> is reserved (<c>connect</c>, <c>disconnect</c>…).</exception>
    public bool Emit(string eventName, params object?[] args) => EmitCore(eventName, args, isVolatile: false);

    /// <summary>
    /// Emits an event asking the client for an acknowledgement and returns its arguments. Waits until the ack,
    /// the cancellation or the socket's disconnection (<see cref="OperationCanceledException"/>); use
    /// <see cref="Timeout"/> to bound the wait.
    /// </summary>
    public Task<SocketIOArgs> EmitWithAckAsync(string eventName, IReadOnlyList<object?>? args = null, CancellationToken cancellationToken = default) =>
        EmitWithAckCoreAsync(eventName, args, System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);

    internal bool EmitCore(string eventName, object?[] args, bool isVolatile)
    {
        ThrowIfReserved(eventName);
        if (Pid is not null && !isVolatile)
        {
            // With recovery on, the event goes through the adapter to this socket's own room so that it is stored
            // with an offset and replayed if the client reconnects, as socket.io's emit does. Not flagged local: a
            // cluster adapter whose log is shared (Redis Streams) must write it there for another node to replay it.
            Namespace.Adapter.Broadcast(
                new Adapters.BroadcastPacket(Namespace.Name, eventName, args),
                new Adapters.BroadcastOptions { Rooms = new HashSet<string>(StringComparer.Ordinal) { Id } });
            return Connected;
        }
        var packet = SocketIOPacketEncoder.EncodeMessage(Namespace.Name, eventName, args, SocketIOPacket.NoAckId, Namespace.Server.SerializerOptions);
        NotifyOutgoing(eventName, args);
        return Connection.Send(packet, isVolatile);
    }

    internal async Task<SocketIOArgs> EmitWithAckCoreAsync(
        string eventName, IReadOnlyList<object?>? args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfReserved(eventName);
        var tcs = new TaskCompletionSource<SocketIOArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        long id;
        lock (Namespace.AckLock)
        {
            id = _nextAckId++;
            (_acks ??= [])[id] = a => tcs.TrySetResult(a);
        }
        var argArray = args is null ? [] : args as object?[] ?? [.. args];
        var packet = SocketIOPacketEncoder.EncodeMessage(Namespace.Name, eventName, argArray, id, Namespace.Server.SerializerOptions);
        NotifyOutgoing(eventName, argArray);
        Connection.Send(packet, isVolatile: false);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, DisconnectToken);
        try
        {
            return await tcs.Task.WaitAsync(timeout, Namespace.Server.TimeProvider, linked.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ForgetAck(id);
            throw new SocketIOAckTimeoutException("operation has timed out", [], 1);
        }
        catch (OperationCanceledException)
        {
            ForgetAck(id);
            throw;
        }
    }

    internal bool SendAck(long ackId, object?[] args)
    {
        if (!Connected)
        {
            return false;
        }
        var packet = SocketIOPacketEncoder.EncodeMessage(Namespace.Name, null, args, ackId, Namespace.Server.SerializerOptions);
        return Connection.Send(packet, isVolatile: false);
    }

    internal bool WriteEncoded(EncodedPacket packet, bool isVolatile)
    {
        if (System.Threading.Volatile.Read(ref _replay) is { } replay)
        {
            lock (replay)
            {
                if (replay.Packets is { } waiting)
                {
                    // Being recovered: queued behind the missed events; a volatile event is not worth the wait.
                    if (!isVolatile)
                    {
                        waiting.Add(packet);
                    }
                    return !isVolatile;
                }
            }
        }
        return Connected && Connection.Send(packet, isVolatile);
    }

    internal void NotifyOutgoing(string eventName, IReadOnlyList<object?> args)
    {
        foreach (var handler in System.Threading.Volatile.Read(ref _handlers).AnyOutgoing)
        {
            try
            {
                handler(eventName, args);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(Namespace.Server.Logger, Namespace.Name, eventName, ex);
            }
        }
    }

    /// <summary>The next ack id; caller holds <see cref="SocketIONamespace.AckLock"/>.</summary>
    internal long NextAckIdUnsafe => _nextAckId;

    /// <summary>Registers an ack under <paramref name="id"/> and moves the counter past it; caller holds the ack lock.</summary>
    internal void RegisterAckUnsafe(long id, Action<SocketIOArgs> ack)
    {
        if (System.Threading.Volatile.Read(ref _state) == 2)
        {
            return;
        }
        (_acks ??= [])[id] = ack;
        _nextAckId = id + 1;
    }

    internal static void ThrowIfReserved(string eventName)
    {
        if (ReservedEventNames.IsReserved(eventName))
        {
            throw new ArgumentException($"\"{eventName}\" is a reserved event name.", nameof(eventName));
        }
    }

    private void ForgetAck(long id)
    {
        lock (Namespace.AckLock)
        {
            _acks?.Remove(id);
        }
    }

    private BroadcastOperator NewOperator() =>
        new(Namespace, new BroadcastOptions { Except = new HashSet<string>(StringComparer.Ordinal) { Id } });
}
