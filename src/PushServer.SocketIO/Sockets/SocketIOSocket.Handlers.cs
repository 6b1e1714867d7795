namespace PushServer.SocketIO;

public sealed partial class SocketIOSocket
{
    private readonly Dictionary<string, Func<SocketIOEvent, ValueTask>[]> _handlers = new(StringComparer.Ordinal);
    private Action<SocketIOEvent>[] _anyHandlers = [];
    private Action<string, IReadOnlyList<object?>>[] _anyOutgoingHandlers = [];
    private Func<SocketIOEvent, CancellationToken, ValueTask>[] _packetMiddlewares = [];
    private Action<string>[] _disconnectingHandlers = [];
    private Action<string>[] _disconnectHandlers = [];
    private Action<Exception>[] _errorHandlers = [];

    /// <summary>
    /// Handles event <paramref name="eventName"/>. Handlers are started in arrival order and not awaited by the read
    /// loop, so one may await an ack from the same client. Exceptions are logged.
    /// </summary>
    /// <example><code>socket.On("chat", e => { e.Ack("got it"); return ValueTask.CompletedTask; });</code></example>
    public SocketIOSocket On(string eventName, Func<SocketIOEvent, ValueTask> handler)
    {
        lock (_handlers)
        {
            _handlers[eventName] = _handlers.TryGetValue(eventName, out var existing) ? [.. existing, handler] : [handler];
        }
        return this;
    }

    /// <summary>Handles event <paramref name="eventName"/> synchronously.</summary>
    public SocketIOSocket On(string eventName, Action<SocketIOEvent> handler) =>
        On(eventName, e => { handler(e); return default; });

    /// <summary>Removes every handler of <paramref name="eventName"/>.</summary>
    public SocketIOSocket Off(string eventName)
    {
        lock (_handlers)
        {
            _handlers.Remove(eventName);
        }
        return this;
    }

    /// <summary>Sees every incoming event before its own handlers (socket.io's <c>onAny</c>).</summary>
    public SocketIOSocket OnAny(Action<SocketIOEvent> handler)
    {
        lock (_handlers)
        {
            _anyHandlers = [.. _anyHandlers, handler];
        }
        return this;
    }

    /// <summary>Sees every event sent to this client, by this socket or by a broadcast (socket.io's <c>onAnyOutgoing</c>).</summary>
    public SocketIOSocket OnAnyOutgoing(Action<string, IReadOnlyList<object?>> handler)
    {
        lock (_handlers)
        {
            _anyOutgoingHandlers = [.. _anyOutgoingHandlers, handler];
        }
        return this;
    }

    /// <summary>
    /// Adds a packet middleware (socket.io's <c>socket.use</c>), run in order before an event reaches its handlers.
    /// Throwing stops the event and raises the socket's error handlers; nothing is sent to the client.
    /// </summary>
    public SocketIOSocket Use(Func<SocketIOEvent, CancellationToken, ValueTask> middleware)
    {
        lock (_handlers)
        {
            _packetMiddlewares = [.. _packetMiddlewares, middleware];
        }
        return this;
    }

    /// <summary>Runs when the socket is about to leave, while it is still in its rooms, with socket.io's reason string.</summary>
    public SocketIOSocket OnDisconnecting(Action<string> handler)
    {
        lock (_handlers)
        {
            _disconnectingHandlers = [.. _disconnectingHandlers, handler];
        }
        return this;
    }

    /// <summary>Runs when the socket has left, with socket.io's reason string (<see cref="SocketIODisconnectReason"/>).</summary>
    public SocketIOSocket OnDisconnect(Action<string> handler)
    {
        lock (_handlers)
        {
            _disconnectHandlers = [.. _disconnectHandlers, handler];
        }
        return this;
    }

    /// <summary>Receives errors raised by packet middlewares.</summary>
    public SocketIOSocket OnError(Action<Exception> handler)
    {
        lock (_handlers)
        {
            _errorHandlers = [.. _errorHandlers, handler];
        }
        return this;
    }

    private void RunReasonHandlers(Action<string>[] handlers, string reason)
    {
        foreach (var handler in handlers)
        {
            try
            {
                handler(reason);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(Namespace.Server.Logger, Namespace.Name, reason, ex);
            }
        }
    }

    private void RaiseError(Exception error)
    {
        var handlers = _errorHandlers;
        if (handlers.Length == 0)
        {
            Log.UnhandledSocketError(Namespace.Server.Logger, Id, error);
            return;
        }
        foreach (var handler in handlers)
        {
            try
            {
                handler(error);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(Namespace.Server.Logger, Namespace.Name, "error", ex);
            }
        }
    }
}
