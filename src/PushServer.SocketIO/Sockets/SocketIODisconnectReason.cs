namespace PushServer.SocketIO;

/// <summary>The reason strings socket.io gives a server socket's <c>disconnecting</c> and <c>disconnect</c> handlers.</summary>
public static class SocketIODisconnectReason
{
    /// <summary>The client closed the connection.</summary>
    public const string TransportClose = "transport close";
    /// <summary>The transport failed.</summary>
    public const string TransportError = "transport error";
    /// <summary>The client missed the heartbeat.</summary>
    public const string PingTimeout = "ping timeout";
    /// <summary>The client sent a packet that could not be decoded.</summary>
    public const string ParseError = "parse error";
    /// <summary>The Engine.IO session was closed by the server.</summary>
    public const string ForcedClose = "forced close";
    /// <summary>The server is stopping.</summary>
    public const string ServerShuttingDown = "server shutting down";
    /// <summary>The server closed the whole connection (<c>socket.Disconnect(close: true)</c>, or a protocol violation).</summary>
    public const string ForcedServerClose = "forced server close";
    /// <summary>The client left the namespace.</summary>
    public const string ClientNamespaceDisconnect = "client namespace disconnect";
    /// <summary>The server removed the socket from the namespace (<c>socket.Disconnect()</c>).</summary>
    public const string ServerNamespaceDisconnect = "server namespace disconnect";
}
