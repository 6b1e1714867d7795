using System.Text.Json;

namespace PushServer.PushApi;

/// <summary>What a push request did.</summary>
internal sealed record PushResult
{
    /// <summary>
    /// Recipients of an emit as the broadcast itself counted them: this node's clients, plus, with acks, the clients
    /// every other node reported before the ack timeout (without acks other nodes report nothing, so in a cluster
    /// this is this node's part). For join/leave/disconnect, likewise this node's selected sockets: the operation
    /// reaches every node, but other nodes report nothing back.
    /// </summary>
    public int? Recipients { get; init; }

    /// <summary>
    /// For the web-msg-sender form to a user: true when no node that answered in time holds a socket of the user's room.
    /// </summary>
    public bool Offline { get; init; }

    /// <summary>
    /// Where an emit went: this node, the whole cluster, or this node only because the cluster was unreachable
    /// (then clients on other nodes missed it).
    /// </summary>
    public SocketIO.Adapters.BroadcastReach? Reach { get; init; }

    /// <summary>The first argument of each acknowledgement received, as socket.io's broadcast <c>emitWithAck</c> gives.</summary>
    public IReadOnlyList<JsonElement?>? Acks { get; init; }

    /// <summary>True when the ack timeout passed before every recipient answered.</summary>
    public bool AckTimedOut { get; init; }

    /// <summary>The selected sockets (<see cref="PushOperation.ListSockets"/>).</summary>
    public IReadOnlyList<SocketInfo>? Sockets { get; init; }

    /// <summary>The rooms (<see cref="PushOperation.ListRooms"/>).</summary>
    public IReadOnlyList<RoomInfo>? Rooms { get; init; }

    /// <summary>The server's statistics (<see cref="PushOperation.Stats"/>).</summary>
    public ServerStats? Stats { get; init; }
}

/// <summary>A socket as the push API describes it. Headers and query are left out: they may hold credentials.</summary>
/// <param name="Id">The socket id.</param>
/// <param name="Rooms">Rooms joined, without the socket's own room.</param>
/// <param name="Address">The client's address.</param>
/// <param name="ConnectedAt">When the handshake happened.</param>
/// <param name="Secure">Whether the connection used TLS.</param>
internal sealed record SocketInfo(string Id, IReadOnlyList<string> Rooms, string Address, DateTimeOffset ConnectedAt, bool Secure);

/// <summary>A room and how many sockets are in it.</summary>
/// <param name="Name">The room name.</param>
/// <param name="Sockets">Members.</param>
internal sealed record RoomInfo(string Name, int Sockets);
