namespace PushServer.SocketIO;

/// <summary>An event received from a client, handed to packet middlewares and event handlers.</summary>
public sealed class SocketIOEvent
{
    private readonly long _ackId;
    private int _acked;

    internal SocketIOEvent(SocketIOSocket socket, string name, SocketIOArgs args, long ackId)
    {
        Socket = socket;
        Name = name;
        Args = args;
        _ackId = ackId;
    }

    /// <summary>The socket the event came from.</summary>
    public SocketIOSocket Socket { get; }

    /// <summary>The event name; a numeric name (<c>42[1,2]</c>) is given as its JSON text, <c>"1"</c>.</summary>
    public string Name { get; }

    /// <summary>The arguments after the name.</summary>
    public SocketIOArgs Args { get; }

    /// <summary>True when the client asked for an acknowledgement (<c>421["x"]</c>).</summary>
    public bool HasAck => _ackId >= 0;

    /// <summary>Cancelled when the socket disconnects.</summary>
    public CancellationToken CancellationToken => Socket.DisconnectToken;

    /// <summary>
    /// Sends the acknowledgement (<c>431[args…]</c>, BINARY_ACK when an argument is bytes). Only the first call sends;
    /// returns false when no ack was asked for, it was already sent, or the socket is gone.
    /// </summary>
    public bool Ack(params object?[] args)
    {
        if (_ackId < 0 || Interlocked.Exchange(ref _acked, 1) != 0)
        {
            return false;
        }
        return Socket.SendAck(_ackId, args);
    }
}
