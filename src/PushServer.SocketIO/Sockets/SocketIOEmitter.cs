namespace PushServer.SocketIO;

/// <summary>Emits to one socket with flags: <c>socket.Volatile.Emit(…)</c>, <c>socket.Timeout(t).EmitWithAckAsync(…)</c>.</summary>
public readonly struct SocketIOEmitter
{
    private readonly SocketIOSocket _socket;
    private readonly bool _volatile;
    private readonly TimeSpan? _timeout;

    internal SocketIOEmitter(SocketIOSocket socket, bool isVolatile, TimeSpan? timeout)
    {
        _socket = socket;
        _volatile = isVolatile;
        _timeout = timeout;
    }

    /// <summary>The same emitter, volatile.</summary>
    public SocketIOEmitter Volatile => new(_socket, isVolatile: true, _timeout);

    /// <summary>The same emitter with an ack timeout.</summary>
    public SocketIOEmitter Timeout(TimeSpan timeout) => new(_socket, _volatile, timeout);

    /// <summary>Emits the event; a volatile emit is dropped when the transport cannot take it right away.</summary>
    public bool Emit(string eventName, params object?[] args) => _socket.EmitCore(eventName, args, _volatile);

    /// <summary>
    /// Emits the event asking for an acknowledgement.
    /// </summary>
    /// <exception cref="SocketIOAckTimeoutException">No ack within the timeout.</exception>
    public Task<SocketIOArgs> EmitWithAckAsync(string eventName, IReadOnlyList<object?>? args = null, CancellationToken cancellationToken = default) =>
        _socket.EmitWithAckCoreAsync(eventName, args, _timeout ?? System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
}
