using System.Text.Json;

namespace PushServer.SocketIO;

/// <summary>
/// A family of dynamic namespaces (socket.io's <c>io.of(/^\/dynamic-\d+$/)</c>): the first time a client asks for a
/// name the matcher accepts, a child namespace of that name is created; the parent's middlewares and connection
/// handlers apply to every child.
/// </summary>
public sealed class SocketIOParentNamespace
{
    private readonly Func<string, JsonElement, bool> _matcher;
    private readonly Lock _lock = new();
    private readonly List<SocketIONamespace> _children = [];

    internal SocketIOParentNamespace(Func<string, JsonElement, bool> matcher)
    {
        _matcher = matcher;
    }

    /// <summary>The namespaces created from this parent so far.</summary>
    public IReadOnlyList<SocketIONamespace> Children
    {
        get
        {
            lock (_lock)
            {
                return [.. _children];
            }
        }
    }

    internal Func<SocketIOSocket, CancellationToken, ValueTask>[] Middlewares { get; private set; } = [];

    internal Func<SocketIOSocket, ValueTask>[] ConnectionHandlers { get; private set; } = [];

    /// <summary>Adds a connection middleware for every child namespace.</summary>
    public SocketIOParentNamespace Use(Func<SocketIOSocket, CancellationToken, ValueTask> middleware)
    {
        lock (_lock)
        {
            Middlewares = [.. Middlewares, middleware];
        }
        return this;
    }

    /// <summary>Adds a connection handler for every child namespace.</summary>
    public SocketIOParentNamespace OnConnection(Func<SocketIOSocket, ValueTask> handler)
    {
        lock (_lock)
        {
            ConnectionHandlers = [.. ConnectionHandlers, handler];
        }
        return this;
    }

    /// <summary>Adds a synchronous connection handler for every child namespace.</summary>
    public SocketIOParentNamespace OnConnection(Action<SocketIOSocket> handler) =>
        OnConnection(socket => { handler(socket); return default; });

    /// <summary>Emits an event to every socket of every child namespace.</summary>
    public bool Emit(string eventName, params object?[] args)
    {
        foreach (var child in Children)
        {
            child.Emit(eventName, args);
        }
        return true;
    }

    internal bool Matches(string name, JsonElement auth) => _matcher(name, auth);

    internal void AddChild(SocketIONamespace child)
    {
        lock (_lock)
        {
            _children.Add(child);
        }
    }
}
