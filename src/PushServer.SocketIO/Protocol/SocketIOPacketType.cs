namespace PushServer.SocketIO.Protocol;

/// <summary>Socket.IO packet types, the digit that starts every encoded packet. The same in protocol v4 and v5.</summary>
public enum SocketIOPacketType
{
    /// <summary>Join a namespace (client), or confirm the join (server).</summary>
    Connect = 0,
    /// <summary>Leave a namespace.</summary>
    Disconnect = 1,
    /// <summary>An event: <c>["name", args...]</c>.</summary>
    Event = 2,
    /// <summary>The answer to an event that asked for an acknowledgement.</summary>
    Ack = 3,
    /// <summary>A refused namespace join (v5 <c>CONNECT_ERROR</c>, v4 <c>ERROR</c>).</summary>
    ConnectError = 4,
    /// <summary>An event whose arguments hold binary attachments.</summary>
    BinaryEvent = 5,
    /// <summary>An acknowledgement whose arguments hold binary attachments.</summary>
    BinaryAck = 6,
}
