namespace PushServer.SocketIO;

/// <summary>
/// Thrown by a connection middleware to refuse a client. The client receives CONNECT_ERROR with
/// <see cref="Exception.Message"/> and <see cref="ErrorData"/>: <c>44/private,{"message":"Not authorized","data":{"reason":"no token"}}</c>.
/// Any other exception refuses the same way, with its message and no data.
/// </summary>
public sealed class ConnectErrorException : Exception
{
    /// <summary>Refuses with a message and optional data (any JSON-serialisable value).</summary>
    public ConnectErrorException(string message, object? data = null)
        : base(message)
    {
        ErrorData = data;
    }

    /// <summary>Extra data sent to the client as <c>err.data</c>.</summary>
    public object? ErrorData { get; }
}
