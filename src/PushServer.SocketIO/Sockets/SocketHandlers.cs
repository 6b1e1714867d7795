namespace PushServer.SocketIO;

/// <summary>
/// The handlers one socket has registered (<c>on</c>, <c>onAny</c>, <c>use</c>, ...), as an immutable table: a
/// registration makes a new table and the socket swaps its reference, so dispatch reads it without a lock.
/// </summary>
/// <remarks>
/// Servers register the same handlers on every socket (one set of delegates made once, in the connection handler).
/// Each table remembers the last table derived from it, so every socket that registers the same delegates in the same
/// order ends up holding the very same table: 10,000 sockets share one, instead of each keeping a dictionary and its
/// arrays. A socket registering delegates of its own (a lambda made per socket) replaces that one remembered step;
/// what a table can keep alive is thereby bounded by one chain of registrations.
/// </remarks>
internal sealed class SocketHandlers
{
    private Derivation? _lastDerived;

    private SocketHandlers()
    {
    }

    /// <summary>
    /// A table without handlers, the root the sockets of one namespace start from (each namespace has its own, so that
    /// namespaces registering different handlers do not take turns at one remembered step).
    /// </summary>
    public static SocketHandlers CreateEmpty() => new();

    private SocketHandlers(SocketHandlers from)
    {
        Events = from.Events;
        Any = from.Any;
        AnyOutgoing = from.AnyOutgoing;
        PacketMiddlewares = from.PacketMiddlewares;
        Disconnecting = from.Disconnecting;
        Disconnect = from.Disconnect;
        Error = from.Error;
    }

    /// <summary>Event handlers by event name, in registration order of the names; few per socket, so searched in order.</summary>
    public EventHandlers[] Events { get; private init; } = [];

    public Action<SocketIOEvent>[] Any { get; private init; } = [];

    public Action<string, IReadOnlyList<object?>>[] AnyOutgoing { get; private init; } = [];

    public Func<SocketIOEvent, CancellationToken, ValueTask>[] PacketMiddlewares { get; private init; } = [];

    public Action<string>[] Disconnecting { get; private init; } = [];

    public Action<string>[] Disconnect { get; private init; } = [];

    public Action<Exception>[] Error { get; private init; } = [];

    /// <summary>The handlers of <paramref name="eventName"/>, or null.</summary>
    public Func<SocketIOEvent, ValueTask>[]? Find(string eventName)
    {
        foreach (var entry in Events)
        {
            if (string.Equals(entry.Name, eventName, StringComparison.Ordinal))
            {
                return entry.Handlers;
            }
        }
        return null;
    }

    public SocketHandlers WithEvent(string eventName, Func<SocketIOEvent, ValueTask> handler) =>
        Derive(HandlerKind.Event, eventName, handler);

    public SocketHandlers WithAny(Action<SocketIOEvent> handler) => Derive(HandlerKind.Any, null, handler);

    public SocketHandlers WithAnyOutgoing(Action<string, IReadOnlyList<object?>> handler) => Derive(HandlerKind.AnyOutgoing, null, handler);

    public SocketHandlers WithPacketMiddleware(Func<SocketIOEvent, CancellationToken, ValueTask> middleware) =>
        Derive(HandlerKind.PacketMiddleware, null, middleware);

    public SocketHandlers WithDisconnecting(Action<string> handler) => Derive(HandlerKind.Disconnecting, null, handler);

    public SocketHandlers WithDisconnect(Action<string> handler) => Derive(HandlerKind.Disconnect, null, handler);

    public SocketHandlers WithError(Action<Exception> handler) => Derive(HandlerKind.Error, null, handler);

    /// <summary>Without the handlers of <paramref name="eventName"/> (not remembered: removing is rare).</summary>
    public SocketHandlers WithoutEvent(string eventName)
    {
        var index = IndexOf(eventName);
        if (index < 0)
        {
            return this;
        }
        var events = new EventHandlers[Events.Length - 1];
        Events.AsSpan(0, index).CopyTo(events);
        Events.AsSpan(index + 1).CopyTo(events.AsSpan(index));
        return new SocketHandlers(this) { Events = events };
    }

    private SocketHandlers Derive(HandlerKind kind, string? eventName, Delegate handler)
    {
        if (Volatile.Read(ref _lastDerived) is { } last && last.Matches(kind, eventName, handler))
        {
            return last.Result;
        }
        var result = Add(kind, eventName, handler);
        // Racing registrations on other sockets may overwrite each other here: each still gets a correct table.
        Volatile.Write(ref _lastDerived, new Derivation(kind, eventName, handler, result));
        return result;
    }

    private SocketHandlers Add(HandlerKind kind, string? eventName, Delegate handler) => kind switch
    {
        HandlerKind.Event => new SocketHandlers(this) { Events = AddEventHandler(eventName!, (Func<SocketIOEvent, ValueTask>)handler) },
        HandlerKind.Any => new SocketHandlers(this) { Any = [.. Any, (Action<SocketIOEvent>)handler] },
        HandlerKind.AnyOutgoing => new SocketHandlers(this) { AnyOutgoing = [.. AnyOutgoing, (Action<string, IReadOnlyList<object?>>)handler] },
        HandlerKind.PacketMiddleware => new SocketHandlers(this)
        {
            PacketMiddlewares = [.. PacketMiddlewares, (Func<SocketIOEvent, CancellationToken, ValueTask>)handler],
        },
        HandlerKind.Disconnecting => new SocketHandlers(this) { Disconnecting = [.. Disconnecting, (Action<string>)handler] },
        HandlerKind.Disconnect => new SocketHandlers(this) { Disconnect = [.. Disconnect, (Action<string>)handler] },
        HandlerKind.Error => new SocketHandlers(this) { Error = [.. Error, (Action<Exception>)handler] },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private EventHandlers[] AddEventHandler(string eventName, Func<SocketIOEvent, ValueTask> handler)
    {
        var index = IndexOf(eventName);
        if (index < 0)
        {
            return [.. Events, new EventHandlers(eventName, [handler])];
        }
        var events = (EventHandlers[])Events.Clone();
        events[index] = new EventHandlers(eventName, [.. events[index].Handlers, handler]);
        return events;
    }

    private int IndexOf(string eventName)
    {
        for (var i = 0; i < Events.Length; i++)
        {
            if (string.Equals(Events[i].Name, eventName, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    public readonly record struct EventHandlers(string Name, Func<SocketIOEvent, ValueTask>[] Handlers);

    private enum HandlerKind
    {
        Event,
        Any,
        AnyOutgoing,
        PacketMiddleware,
        Disconnecting,
        Disconnect,
        Error,
    }

    /// <summary>One remembered registration step: adding <see cref="Handler"/> here gave <see cref="Result"/>.</summary>
    private sealed record Derivation(HandlerKind Kind, string? EventName, Delegate Handler, SocketHandlers Result)
    {
        public bool Matches(HandlerKind kind, string? eventName, Delegate handler) =>
            Kind == kind && ReferenceEquals(Handler, handler) && string.Equals(EventName, eventName, StringComparison.Ordinal);
    }
}
