using PushServer.EngineIO;

namespace PushServer.SocketIO.Protocol;

/// <summary>The Socket.IO protocol revision a connection speaks; it follows from the Engine.IO revision.</summary>
public enum SocketIOProtocolVersion
{
    /// <summary>Protocol v4, spoken over Engine.IO v3 by socket.io 1.x/2.x clients.</summary>
    V4 = 4,

    /// <summary>Protocol v5, spoken over Engine.IO v4 by socket.io 3.x/4.x clients.</summary>
    V5 = 5,
}

/// <summary>Maps Engine.IO revisions to Socket.IO revisions.</summary>
public static class SocketIOProtocolVersionExtensions
{
    /// <summary>The Socket.IO revision carried by a session of Engine.IO revision <paramref name="engine"/>.</summary>
    public static SocketIOProtocolVersion ToSocketIOProtocol(this EngineProtocolVersion engine) =>
        engine == EngineProtocolVersion.V3 ? SocketIOProtocolVersion.V4 : SocketIOProtocolVersion.V5;
}
