namespace PushServer.PushApi;

/// <summary>What a push request asks of the Socket.IO server.</summary>
internal enum PushOperation
{
    /// <summary>Emit an event to the selected sockets (with acks when a timeout is given).</summary>
    Emit,

    /// <summary>Make the selected sockets join rooms (<c>socketsJoin</c>).</summary>
    Join,

    /// <summary>Make the selected sockets leave rooms (<c>socketsLeave</c>).</summary>
    Leave,

    /// <summary>Disconnect the selected sockets (<c>disconnectSockets</c>).</summary>
    Disconnect,

    /// <summary>Describe the selected sockets (<c>fetchSockets</c>).</summary>
    ListSockets,

    /// <summary>List the rooms of a namespace with their member counts.</summary>
    ListRooms,

    /// <summary>Describe the server.</summary>
    Stats,
}
