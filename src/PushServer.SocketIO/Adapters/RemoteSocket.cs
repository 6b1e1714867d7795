namespace PushServer.SocketIO.Adapters;

/// <summary>
/// A socket returned by <c>FetchSocketsAsync</c>, local or on another node. Its operations go through the adapter,
/// addressed to the socket's own room, so they work wherever the socket lives.
/// </summary>
public sealed class RemoteSocket
{
    private readonly SocketIOAdapter _adapter;

    /// <summary>Describes a socket; used by adapters.</summary>
    public RemoteSocket(SocketIOAdapter adapter, string id, SocketIOHandshake handshake, IReadOnlySet<string> rooms, object? data)
    {
        _adapter = adapter;
        Id = id;
        Handshake = handshake;
        Rooms = rooms;
        Data = data;
    }

    /// <summary>The socket id.</summary>
    public string Id { get; }

    /// <summary>The socket's handshake.</summary>
    public SocketIOHandshake Handshake { get; }

    /// <summary>The rooms the socket was in when fetched.</summary>
    public IReadOnlySet<string> Rooms { get; }

    /// <summary>
    /// The socket's <c>Data</c> when fetched: the object itself for a socket of this node; for one on another node a
    /// <see cref="System.Text.Json.JsonElement"/>, bytes as base64 strings (see <see cref="GetData{T}"/>).
    /// </summary>
    public object? Data { get; }

    /// <summary>
    /// <see cref="Data"/> as a <typeparamref name="T"/>: the object itself when it is one, else read from its JSON
    /// form with the server's serializer options (base64 strings into <c>byte[]</c>). Default when there is none.
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">The data does not have the shape of a <typeparamref name="T"/>.</exception>
    public T? GetData<T>() => Internal.SocketData.As<T>(Data, _adapter.Namespace.Server.SerializerOptions);

    private BroadcastOptions Self => new() { Rooms = new HashSet<string> { Id } };

    /// <summary>Emits an event to this socket.</summary>
    public void Emit(string eventName, params object?[] args) =>
        _adapter.Broadcast(new BroadcastPacket(_adapter.Namespace.Name, eventName, args), Self);

    /// <summary>Makes the socket join <paramref name="room"/>.</summary>
    public void Join(string room) => _adapter.AddSockets(Self, [room]);

    /// <summary>Makes the socket leave <paramref name="room"/>.</summary>
    public void Leave(string room) => _adapter.DelSockets(Self, [room]);

    /// <summary>Disconnects the socket; <paramref name="close"/> closes its whole connection.</summary>
    public void Disconnect(bool close = false) => _adapter.DisconnectSockets(Self, close);
}
