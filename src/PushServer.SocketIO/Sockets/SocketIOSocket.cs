using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

/// <summary>
/// A client's membership of one namespace (socket.io's server <c>Socket</c>): its handlers, emits, acks and rooms.
/// One Engine.IO connection holds one socket per namespace it joined.
/// </summary>
public sealed partial class SocketIOSocket
{
    private readonly CancellationTokenSource _disconnected = new();
    private int _state; // 0 joining, 1 connected, 2 disconnected

    internal SocketIOSocket(SocketIONamespace nsp, SocketIOConnection connection, string id, SocketIOHandshake handshake)
    {
        Namespace = nsp;
        Connection = connection;
        Id = id;
        Handshake = handshake;
    }

    /// <summary>The socket id: a fresh 20-character id per join for v5 clients; the Engine.IO sid (or <c>/nsp#sid</c>) for v4.</summary>
    public string Id { get; }

    /// <summary>The namespace the socket joined.</summary>
    public SocketIONamespace Namespace { get; }

    /// <summary>The request and auth data the client connected with.</summary>
    public SocketIOHandshake Handshake { get; }

    /// <summary>Free slot for application data about this socket; returned by <c>FetchSocketsAsync</c>.</summary>
    public object? Data { get; set; }

    /// <summary>True from the CONNECT reply until the socket disconnects.</summary>
    public bool Connected => System.Threading.Volatile.Read(ref _state) == 1;

    /// <summary>Cancelled when the socket disconnects.</summary>
    public CancellationToken DisconnectToken => _disconnected.Token;

    /// <summary>The Socket.IO revision the client speaks.</summary>
    public SocketIOProtocolVersion Protocol => Connection.Version;

    /// <summary>The id of the underlying Engine.IO connection.</summary>
    public string ConnectionId => Connection.Session.Id;

    /// <summary>The current transport of the connection: <c>polling</c> or <c>websocket</c>.</summary>
    public string TransportName => Connection.Session.TransportName;

    /// <summary>The rooms the socket is in, its own id included.</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.GetSocketRooms(Id) ?? new HashSet<string>();

    internal SocketIOConnection Connection { get; }

    /// <summary>Joins <paramref name="room"/>.</summary>
    public void Join(string room) => Join([room]);

    /// <summary>Joins each of <paramref name="rooms"/>.</summary>
    public void Join(IEnumerable<string> rooms)
    {
        if (System.Threading.Volatile.Read(ref _state) == 2)
        {
            return;
        }
        Namespace.Adapter.AddAll(Id, rooms);
    }

    /// <summary>Leaves <paramref name="room"/>.</summary>
    public void Leave(string room) => Namespace.Adapter.Del(Id, room);

    /// <summary>
    /// Disconnects the socket. With <paramref name="close"/> false the client gets DISCONNECT (<c>41</c>) for this
    /// namespace and its connection stays; with true the whole Engine.IO connection is closed and every socket on it
    /// disconnects with <c>forced server close</c>.
    /// </summary>
    public void Disconnect(bool close = false)
    {
        if (!Connected)
        {
            return;
        }
        if (close)
        {
            Connection.Close(SocketIODisconnectReason.ForcedServerClose, EngineIO.EngineCloseReason.ForcedClose);
            return;
        }
        Connection.Send(SocketIOPacketEncoder.EncodeDisconnect(Namespace.Name));
        OnClose(SocketIODisconnectReason.ServerNamespaceDisconnect);
    }

    /// <summary>Joins the own room and answers CONNECT.</summary>
    internal void OnConnected()
    {
        Namespace.Adapter.AddAll(Id, [Id]);
        System.Threading.Volatile.Write(ref _state, 1);
        Connection.Send(SocketIOPacketEncoder.EncodeConnect(Namespace.Name, Id, Connection.Version));
    }

    /// <summary>Leaves the namespace: <c>disconnecting</c> handlers, rooms dropped, <c>disconnect</c> handlers.</summary>
    internal void OnClose(string reason)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }
        RunReasonHandlers(_disconnectingHandlers, reason);
        Namespace.Adapter.DelAll(Id);
        Namespace.Remove(this);
        Connection.RemoveSocket(Namespace.Name, this);
        lock (Namespace.AckLock)
        {
            _acks.Clear();
        }
        _disconnected.Cancel();
        RunReasonHandlers(_disconnectHandlers, reason);
    }
}
