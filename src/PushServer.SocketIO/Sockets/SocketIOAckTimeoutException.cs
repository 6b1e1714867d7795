namespace PushServer.SocketIO;

/// <summary>
/// No acknowledgement (or not every expected one, for a broadcast) arrived before the timeout given to
/// <c>Timeout(…)</c>. Nothing is sent on the wire; a late ack is ignored.
/// </summary>
public sealed class SocketIOAckTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with the acks that did arrive.</summary>
    public SocketIOAckTimeoutException(string message, IReadOnlyList<SocketIOArgs> responses, int expected)
        : base(message)
    {
        Responses = responses;
        Expected = expected;
    }

    /// <summary>The acknowledgements received before the timeout.</summary>
    public IReadOnlyList<SocketIOArgs> Responses { get; }

    /// <summary>How many acknowledgements were expected.</summary>
    public int Expected { get; }
}
