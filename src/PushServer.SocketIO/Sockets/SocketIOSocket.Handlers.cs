namespace PushServer.SocketIO;

public sealed partial class SocketIOSocket
{
    // Swapped whole on each registration; usually the same table as every other socket's (see SocketHandlers).
    private SocketHandlers _handlers;

    /// <summary>
    /// Handles event <paramref name="eventName"/>. Handlers are started in arrival order and not awaited by the read
    /// loop, so one may await an ack from the same client. Exceptions are logged.
    /// </summary>
    /// <remarks>
    /// Registering the same delegate instances on every socket (made once, outside the connection handler) lets all
    /// sockets share one handler table.
    /// </remarks>
    /// <example><code>socket.On("chat", e => { e.Ack("got it"); return ValueTask.CompletedTask; });</code></example>
    public SocketIOSocket On(string eventName, Func<SocketIOEvent, ValueTask> handler) =>
        Register((eventName, handler), static (table, state) => table.WithEvent(state.eventName, state.handler));

    /// <summary>Handles event <paramref name="eventName"/> synchronously.</summary>
    public SocketIOSocket On(string eventName, Action<SocketIOEvent> handler) =>
        On(eventName, e => { handler(e); return default; });

    /// <summary>Removes every handler of <paramref name="eventName"/>.</summary>
    public SocketIOSocket Off(string eventName) =>
        Register(eventName, static (table, name) => table.WithoutEvent(name));

    /// <summary>Sees every incoming event before its own handlers (socket.io's <c>onAny</c>).</summary>
    public SocketIOSocket OnAny(Action<SocketIOEvent> handler) =>
        Register(handler, static (table, h) => table.WithAny(h));

    /// <summary>Sees every event sent to this client, by this socket or by a broadcast (socket.io's <c>onAnyOutgoing</c>).</summary>
    public SocketIOSocket OnAnyOutgoing(Action<string, IReadOnlyList<object?>> handler) =>
        Register(handler, static (table, h) => table.WithAnyOutgoing(h));

    /// <summary>
    /// Adds a packet middleware (socket.io's <c>socket.use</c>), run in order before an event reaches its handlers.
    /// Throwing stops the event and raises the socket's error handlers; nothing is sent to the client.
    /// </summary>
    public SocketIOSocket Use(Func<SocketIOEvent, CancellationToken, ValueTask> middleware) =>
        Register(middleware, static (table, m) => table.WithPacketMiddleware(m));

    /// <summary>Runs when the socket is about to leave, while it is still in its rooms, with socket.io's reason string.</summary>
    public SocketIOSocket OnDisconnecting(Action<string> handler) =>
        Register(handler, static (table, h) => table.WithDisconnecting(h));

    /// <summary>Runs when the socket has left, with socket.io's reason string (<see cref="SocketIODisconnectReason"/>).</summary>
    public SocketIOSocket OnDisconnect(Action<string> handler) =>
        Register(handler, static (table, h) => table.WithDisconnect(h));

    /// <summary>Receives errors raised by packet middlewares.</summary>
    public SocketIOSocket OnError(Action<Exception> handler) =>
        Register(handler, static (table, h) => table.WithError(h));

    /// <summary>Swaps in the table <paramref name="change"/> derives, retrying when another thread swapped first.</summary>
    private SocketIOSocket Register<TState>(TState state, Func<SocketHandlers, TState, SocketHandlers> change)
    {
        var current = System.Threading.Volatile.Read(ref _handlers);
        while (true)
        {
            var changed = change(current, state);
            var seen = Interlocked.CompareExchange(ref _handlers, changed, current);
            if (ReferenceEquals(seen, current))
            {
                return this;
            }
            current = seen;
        }
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
        var handlers = System.Threading.Volatile.Read(ref _handlers).Error;
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
