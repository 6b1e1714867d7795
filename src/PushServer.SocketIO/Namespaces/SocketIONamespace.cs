using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Internal;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

/// <summary>
/// A Socket.IO namespace (<c>io.Of("/admin")</c>): its connection middlewares, connection handlers, sockets and adapter,
/// and the broadcast operators over its sockets.
/// </summary>
public sealed partial class SocketIONamespace
{
    private readonly ConcurrentDictionary<string, SocketIOSocket> _sockets = new(StringComparer.Ordinal);
    private readonly SocketIOParentNamespace? _parent;
    private readonly Lock _handlersLock = new();
    private Func<SocketIOSocket, CancellationToken, ValueTask>[] _middlewares = [];
    private Func<SocketIOSocket, ValueTask>[] _connectionHandlers = [];
    private readonly ConcurrentDictionary<string, Func<IReadOnlyList<object?>, Action<object?>?, ValueTask>> _serverSideHandlers =
        new(StringComparer.Ordinal);
    private readonly BroadcastOperator _all;

    internal SocketIONamespace(SocketIOServer server, string name, SocketIOParentNamespace? parent)
    {
        Server = server;
        Name = name;
        _parent = parent;
        _all = new BroadcastOperator(this, BroadcastOptions.All);
        Adapter = server.AdapterFactory.Create(this);
        InitAdapter();
    }

    /// <summary>The namespace name, starting with <c>/</c>.</summary>
    public string Name { get; }

    /// <summary>The server that owns this namespace.</summary>
    public SocketIOServer Server { get; }

    /// <summary>The adapter that holds this namespace's rooms.</summary>
    public SocketIOAdapter Adapter { get; }

    /// <summary>The sockets connected to this namespace on this node, by id.</summary>
    public IReadOnlyDictionary<string, SocketIOSocket> Sockets => _sockets;

    /// <summary>Guards ack id allocation and pending-ack maps of this namespace's sockets.</summary>
    internal Lock AckLock { get; } = new();

    /// <summary>The handler table every socket of this namespace starts with (see <see cref="SocketHandlers"/>).</summary>
    internal SocketHandlers EmptyHandlers { get; } = SocketHandlers.CreateEmpty();

    /// <summary>
    /// Adds a connection middleware, run in order for each client joining the namespace. Throwing refuses the client
    /// with CONNECT_ERROR (see <see cref="ConnectErrorException"/>); the Engine.IO connection stays open.
    /// </summary>
    public SocketIONamespace Use(Func<SocketIOSocket, CancellationToken, ValueTask> middleware)
    {
        lock (_handlersLock)
        {
            _middlewares = [.. _middlewares, middleware];
        }
        return this;
    }

    /// <summary>
    /// Adds a handler run for each socket that joined (socket.io's <c>connection</c> event), after the CONNECT reply.
    /// Handlers registered on the socket before the first <c>await</c> see the socket's first packet.
    /// </summary>
    public SocketIONamespace OnConnection(Func<SocketIOSocket, ValueTask> handler)
    {
        lock (_handlersLock)
        {
            _connectionHandlers = [.. _connectionHandlers, handler];
        }
        return this;
    }

    /// <summary>Adds a synchronous connection handler.</summary>
    public SocketIONamespace OnConnection(Action<SocketIOSocket> handler) =>
        OnConnection(socket => { handler(socket); return default; });

    /// <summary>Selects members of <paramref name="room"/>.</summary>
    public BroadcastOperator To(string room) => _all.To(room);

    /// <summary>Selects members of any of <paramref name="rooms"/>.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => _all.To(rooms);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => _all.To(room);

    /// <summary>Selects every socket except members of <paramref name="room"/>.</summary>
    public BroadcastOperator Except(string room) => _all.Except(room);

    /// <summary>Every socket, dropping the packet for clients that cannot take it right away.</summary>
    public BroadcastOperator Volatile => _all.Volatile;

    /// <summary>Every socket of this node only.</summary>
    public BroadcastOperator Local => _all.Local;

    /// <summary>Every socket, with a timeout for <see cref="BroadcastOperator.EmitWithAckAsync"/>.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => _all.Timeout(timeout);

    /// <summary>Emits an event to every socket of the namespace.</summary>
    public bool Emit(string eventName, params object?[] args) => _all.Emit(eventName, args);

    /// <summary>Describes every socket of the namespace, on every node.</summary>
    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) =>
        _all.FetchSocketsAsync(cancellationToken);

    /// <summary>Makes every socket join <paramref name="rooms"/>.</summary>
    public void SocketsJoin(params string[] rooms) => _all.SocketsJoin(rooms);

    /// <summary>Makes every socket leave <paramref name="rooms"/>.</summary>
    public void SocketsLeave(params string[] rooms) => _all.SocketsLeave(rooms);

    /// <summary>Disconnects every socket; <paramref name="close"/> closes their whole connections.</summary>
    public void DisconnectSockets(bool close = false) => _all.DisconnectSockets(close);

    /// <summary>Sends an event to this namespace on the other nodes; nothing happens with the in-memory adapter.</summary>
    public void ServerSideEmit(string eventName, params object?[] args)
    {
        if (ReservedEventNames.IsReservedForNamespace(eventName))
        {
            throw new ArgumentException($"\"{eventName}\" is a reserved event name.", nameof(eventName));
        }
        Adapter.ServerSideEmit(eventName, args);
    }

    /// <summary>
    /// Sends an event to this namespace on the other nodes and collects one answer from each (socket.io's
    /// <c>serverSideEmitWithAck</c>). Nodes that do not answer within the adapter's request timeout are reported in
    /// the result instead of failing it; with the in-memory adapter the result is empty.
    /// </summary>
    public Task<ClusterResult<IReadOnlyList<System.Text.Json.JsonElement>>> ServerSideEmitWithAckAsync(
        string eventName, IReadOnlyList<object?>? args = null, CancellationToken cancellationToken = default)
    {
        if (ReservedEventNames.IsReservedForNamespace(eventName))
        {
            throw new ArgumentException($"\"{eventName}\" is a reserved event name.", nameof(eventName));
        }
        return Adapter.ServerSideEmitWithAckAsync(eventName, args ?? [], cancellationToken);
    }

    /// <summary>Handles an event another node sent with <see cref="ServerSideEmit"/>.</summary>
    public SocketIONamespace OnServerSideEmit(string eventName, Action<IReadOnlyList<object?>> handler)
    {
        _serverSideHandlers[eventName] = (args, _) =>
        {
            handler(args);
            return default;
        };
        return this;
    }

    /// <summary>
    /// Handles an event another node sent, answering it: the returned value is the acknowledgement a node that used
    /// <see cref="ServerSideEmitWithAckAsync"/> receives (nothing is sent when the sender asked for none).
    /// </summary>
    public SocketIONamespace OnServerSideEmitWithAck(string eventName, Func<IReadOnlyList<object?>, ValueTask<object?>> handler)
    {
        _serverSideHandlers[eventName] = async (args, ack) =>
        {
            var answer = await handler(args).ConfigureAwait(false);
            ack?.Invoke(answer);
        };
        return this;
    }

    /// <summary>Delivers a server-side event from another node; called by cluster adapters.</summary>
    public void DispatchServerSideEmit(string eventName, IReadOnlyList<object?> args) => DispatchServerSideEmit(eventName, args, null);

    /// <summary>
    /// Delivers a server-side event from another node; <paramref name="ack"/>, when the sender asked for an answer,
    /// receives the handler's. Called by cluster adapters.
    /// </summary>
    public void DispatchServerSideEmit(string eventName, IReadOnlyList<object?> args, Action<object?>? ack)
    {
        if (_serverSideHandlers.TryGetValue(eventName, out var handler))
        {
            _ = RunServerSideHandlerAsync(eventName, handler, args, ack);
        }
    }

    private async Task RunServerSideHandlerAsync(
        string eventName, Func<IReadOnlyList<object?>, Action<object?>?, ValueTask> handler, IReadOnlyList<object?> args, Action<object?>? ack)
    {
        try
        {
            await handler(args, ack).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Server.Logger, Name, eventName, ex);
        }
    }

    internal bool TryGetSocket(string id, [NotNullWhen(true)] out SocketIOSocket? socket) => _sockets.TryGetValue(id, out socket);

    internal void Remove(SocketIOSocket socket) => _sockets.TryRemove(new KeyValuePair<string, SocketIOSocket>(socket.Id, socket));

    internal long RegisterBroadcastAck(IReadOnlyList<SocketIOSocket> sockets, Action<SocketIOArgs> ack)
    {
        lock (AckLock)
        {
            long id = 0;
            foreach (var socket in sockets)
            {
                id = Math.Max(id, socket.NextAckIdUnsafe);
            }
            foreach (var socket in sockets)
            {
                socket.RegisterAckUnsafe(id, ack);
            }
            return id;
        }
    }

    private void InitAdapter() =>
        UnawaitedCall.Start(static adapter => adapter.InitAsync(CancellationToken.None), Adapter, this,
            static (nsp, ex) => Log.AdapterInitFailed(nsp.Server.Logger, nsp.Name, ex));
}
