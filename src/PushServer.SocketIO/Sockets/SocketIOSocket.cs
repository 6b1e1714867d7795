using PushServer.SocketIO.Internal;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

/// <summary>
/// A client's membership of one namespace (socket.io's server <c>Socket</c>): its handlers, emits, acks and rooms.
/// One Engine.IO connection holds one socket per namespace it joined.
/// </summary>
public sealed partial class SocketIOSocket
{
    private LazyCancellation _disconnected;
    private PendingReplay? _replay;
    private int _state; // 0 joining, 1 connected, 2 disconnected

    internal SocketIOSocket(SocketIONamespace nsp, SocketIOConnection connection, string id, SocketIOHandshake handshake, string? pid = null)
    {
        Namespace = nsp;
        _handlers = nsp.EmptyHandlers;
        Connection = connection;
        Id = id;
        Handshake = handshake;
        Pid = pid;
    }

    /// <summary>The socket id: a fresh 20-character id per join for v5 clients; the Engine.IO sid (or <c>/nsp#sid</c>) for v4.</summary>
    public string Id { get; }

    /// <summary>The namespace the socket joined.</summary>
    public SocketIONamespace Namespace { get; }

    /// <summary>The request and auth data the client connected with.</summary>
    public SocketIOHandshake Handshake { get; }

    /// <summary>
    /// Free slot for application data about this socket; returned by <c>FetchSocketsAsync</c>. A socket restored
    /// from a session another node stored has its data as a <see cref="System.Text.Json.JsonElement"/>, bytes as
    /// base64 strings: <see cref="GetData{T}"/> reads it back as the type the application stored.
    /// </summary>
    public object? Data { get; set; }

    /// <summary>
    /// <see cref="Data"/> as a <typeparamref name="T"/>: the object itself when it is one, else read from its JSON
    /// form with the server's serializer options (base64 strings into <c>byte[]</c>). Default when there is none.
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">The data does not have the shape of a <typeparamref name="T"/>.</exception>
    public T? GetData<T>() => SocketData.As<T>(Data, Namespace.Server.SerializerOptions);

    /// <summary>True from the CONNECT reply until the socket disconnects.</summary>
    public bool Connected => System.Threading.Volatile.Read(ref _state) == 1;

    /// <summary>Cancelled when the socket disconnects.</summary>
    public CancellationToken DisconnectToken => _disconnected.GetToken();

    /// <summary>The Socket.IO revision the client speaks.</summary>
    public SocketIOProtocolVersion Protocol => Connection.Version;

    /// <summary>The id of the underlying Engine.IO connection.</summary>
    public string ConnectionId => Connection.Session.Id;

    /// <summary>The current transport of the connection: <c>polling</c> or <c>websocket</c>.</summary>
    public string TransportName => Connection.Session.TransportName;

    /// <summary>The rooms the socket is in, its own id included.</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.GetSocketRooms(Id) ?? new HashSet<string>();

    /// <summary>
    /// True when the socket is a recovered one (socket.io's <c>socket.recovered</c>): the client came back within the
    /// connection state recovery window and got its id, rooms, <see cref="Data"/> and missed events back.
    /// </summary>
    public bool Recovered { get; private set; }

    internal SocketIOConnection Connection { get; }

    /// <summary>The private session id sent in the CONNECT reply when connection state recovery is on.</summary>
    internal string? Pid { get; }

    /// <summary>Joins <paramref name="room"/>.</summary>
    public void Join(string room) => Join([room]);

    /// <summary>
    /// Joins each of <paramref name="rooms"/>, up to <see cref="SocketIOOptions.MaxRoomsPerSocket"/> rooms in all; joins
    /// past it are refused and logged.
    /// </summary>
    public void Join(IEnumerable<string> rooms)
    {
        if (System.Threading.Volatile.Read(ref _state) == 2)
        {
            return;
        }
        var max = Namespace.Server.Options.MaxRoomsPerSocket;
        var current = Namespace.Adapter.GetSocketRooms(Id);
        var count = current?.Count ?? 0;
        var allowed = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var room in rooms)
        {
            if ((current is not null && current.Contains(room)) || !seen.Add(room))
            {
                continue;
            }
            if (count >= max)
            {
                Log.TooManyRooms(Namespace.Server.Logger, Id, max, room);
                SocketIOMetrics.Limit("max_rooms_per_socket");
                break;
            }
            allowed.Add(room);
            count++;
        }
        if (allowed.Count > 0)
        {
            Namespace.Adapter.AddAll(Id, allowed);
        }
    }

    /// <summary>Leaves <paramref name="room"/>.</summary>
    public void Leave(string room) => Namespace.Adapter.Del(Id, room);

    /// <summary>
    /// Disconnects the socket: the client gets DISCONNECT (<c>41</c>) for this namespace (its <c>io server
    /// disconnect</c>, after which it does not reconnect) and the socket leaves with <c>server namespace
    /// disconnect</c>. With <paramref name="close"/> true every socket of the connection is disconnected that way and
    /// then the Engine.IO connection is closed, as socket.io's <c>disconnect(true)</c> does.
    /// </summary>
    public void Disconnect(bool close = false)
    {
        if (!Connected)
        {
            return;
        }
        if (close)
        {
            Connection.DisconnectAll();
            return;
        }
        Connection.Send(SocketIOPacketEncoder.EncodeDisconnect(Namespace.Name));
        OnClose(SocketIODisconnectReason.ServerNamespaceDisconnect);
    }

    /// <summary>
    /// Marks a socket being recovered: <paramref name="missed"/> and whatever is sent to it until
    /// <see cref="OnConnected"/> wait in order, so the missed events go out right after the CONNECT reply.
    /// </summary>
    internal void BeginRecovery(IReadOnlyList<EncodedPacket> missed)
    {
        Recovered = true;
        System.Threading.Volatile.Write(ref _replay, new PendingReplay(missed));
    }

    /// <summary>Joins the own room and answers CONNECT, then sends what waited for it.</summary>
    internal void OnConnected()
    {
        Namespace.Adapter.AddAll(Id, [Id]);
        if (System.Threading.Volatile.Read(ref _replay) is not { } replay)
        {
            System.Threading.Volatile.Write(ref _state, 1);
            Connection.Send(SocketIOPacketEncoder.EncodeConnect(Namespace.Name, Id, Connection.Version, Pid));
            return;
        }
        lock (replay)
        {
            System.Threading.Volatile.Write(ref _state, 1);
            Connection.Send(SocketIOPacketEncoder.EncodeConnect(Namespace.Name, Id, Connection.Version, Pid));
            foreach (var packet in replay.Packets!)
            {
                Connection.Send(packet, isVolatile: false);
            }
            replay.Packets = null;
        }
        System.Threading.Volatile.Write(ref _replay, null);
    }

    /// <summary>Drops what waited for a recovery that did not complete.</summary>
    internal void AbandonRecovery()
    {
        if (Interlocked.Exchange(ref _replay, null) is { } replay)
        {
            lock (replay)
            {
                replay.Packets = null;
            }
        }
    }

    /// <summary>Leaves the namespace: <c>disconnecting</c> handlers, rooms dropped, <c>disconnect</c> handlers.</summary>
    internal void OnClose(string reason)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }
        RunReasonHandlers(System.Threading.Volatile.Read(ref _handlers).Disconnecting, reason);
        if (IsRecoverable(reason))
        {
            // Persisted before the rooms are dropped, as socket.io's _onclose does.
            PersistSession();
        }
        Namespace.Adapter.DelAll(Id);
        Namespace.Remove(this);
        Connection.RemoveSocket(Namespace.Name, this);
        lock (Namespace.AckLock)
        {
            _acks = null;
        }
        _disconnected.Cancel();
        RunReasonHandlers(System.Threading.Volatile.Read(ref _handlers).Disconnect, reason);
    }

    /// <summary>
    /// A recovered socket that never connected because its connection closed first: its session is stored again, when
    /// the close is one a client recovers from.
    /// </summary>
    internal void KeepRecoveredSession(string reason)
    {
        if (Recovered && IsRecoverable(reason))
        {
            PersistSession();
        }
    }

    private void PersistSession()
    {
        if (Pid is null)
        {
            return;
        }
        var rooms = Namespace.Adapter.GetSocketRooms(Id);
        Namespace.Adapter.PersistSession(new Adapters.PersistedSession(Id, Pid, rooms is null ? [Id] : [.. rooms], Data));
    }

    /// <summary>socket.io's <c>RECOVERABLE_DISCONNECT_REASONS</c>: the client did not mean to leave.</summary>
    private static bool IsRecoverable(string reason) => reason is SocketIODisconnectReason.TransportError
        or SocketIODisconnectReason.TransportClose or SocketIODisconnectReason.ForcedClose or SocketIODisconnectReason.PingTimeout
        or SocketIODisconnectReason.ServerShuttingDown or SocketIODisconnectReason.ForcedServerClose;

    /// <summary>
    /// What a socket being recovered sends right after its CONNECT reply: the events it missed, then what was sent to it
    /// meanwhile. Also the lock that orders those sends; exists only while a recovery is under way.
    /// </summary>
    private sealed class PendingReplay(IReadOnlyList<EncodedPacket> missed)
    {
        /// <summary>Null once sent or dropped.</summary>
        public List<EncodedPacket>? Packets { get; set; } = [.. missed];
    }
}
