using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PushServer.EngineIO;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

/// <summary>
/// The root of a Socket.IO server (socket.io's <c>io</c>): namespaces, and shortcuts to the default namespace
/// <c>/</c>. Register it with <c>services.AddSocketIO()</c> and configure it in <c>endpoints.MapSocketIO(path, io => …)</c>.
/// </summary>
/// <example><code>
/// io.OnConnection(socket =&gt; socket.On("chat", e =&gt; io.Emit("chat", e.Args[0])));
/// io.Of("/admin").Use((socket, ct) =&gt; socket.Handshake.Auth.TryGetProperty("token", out _)
///     ? ValueTask.CompletedTask : throw new ConnectErrorException("Not authorized"));
/// </code></example>
public sealed class SocketIOServer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SocketIONamespace> _namespaces = new(StringComparer.Ordinal);
    private SocketIOParentNamespace[] _parents = [];

    /// <summary>Creates the server; normally done by DI.</summary>
    public SocketIOServer(
        IOptions<SocketIOOptions> options,
        ISocketIOAdapterFactory adapterFactory,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null)
    {
        Options = options.Value;
        AdapterFactory = adapterFactory;
        TimeProvider = timeProvider;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SocketIOServer>();
        SerializerOptions = SocketIOJson.CreateSerializerOptions(Options.JsonSerializerOptions);
        ConnectionHandler = new SocketIOConnectionHandler(this);
        Sockets = Of("/");
    }

    /// <summary>The settings, read once at construction.</summary>
    public SocketIOOptions Options { get; }

    /// <summary>The serializer options arguments are written and read with (binary values as attachments).</summary>
    public JsonSerializerOptions SerializerOptions { get; }

    /// <summary>The clock timers run on.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The handler to give the Engine.IO endpoint.</summary>
    public IEngineConnectionHandler ConnectionHandler { get; }

    /// <summary>The default namespace <c>/</c> (socket.io's <c>io.sockets</c>).</summary>
    public SocketIONamespace Sockets { get; }

    /// <summary>Every namespace created so far, dynamic children included.</summary>
    public IReadOnlyList<SocketIONamespace> Namespaces
    {
        get
        {
            lock (_lock)
            {
                return [.. _namespaces.Values];
            }
        }
    }

    internal ISocketIOAdapterFactory AdapterFactory { get; }

    internal ILogger Logger { get; }

    /// <summary>The namespace called <paramref name="name"/>, created on first use; a missing leading <c>/</c> is added.</summary>
    public SocketIONamespace Of(string name)
    {
        if (!name.StartsWith('/'))
        {
            name = "/" + name;
        }
        lock (_lock)
        {
            if (!_namespaces.TryGetValue(name, out var nsp))
            {
                _namespaces[name] = nsp = new SocketIONamespace(this, name, parent: null);
            }
            return nsp;
        }
    }

    /// <summary>Dynamic namespaces whose names match <paramref name="pattern"/>.</summary>
    public SocketIOParentNamespace Of(Regex pattern) => Of((name, _) => pattern.IsMatch(name));

    /// <summary>Dynamic namespaces accepted by <paramref name="predicate"/>, given the name and the client's auth.</summary>
    public SocketIOParentNamespace Of(Func<string, JsonElement, bool> predicate)
    {
        var parent = new SocketIOParentNamespace(predicate);
        lock (_lock)
        {
            _parents = [.. _parents, parent];
        }
        return parent;
    }

    /// <summary>Adds a connection middleware to <c>/</c>.</summary>
    public SocketIOServer Use(Func<SocketIOSocket, CancellationToken, ValueTask> middleware)
    {
        Sockets.Use(middleware);
        return this;
    }

    /// <summary>Adds a connection handler to <c>/</c>.</summary>
    public SocketIOServer OnConnection(Func<SocketIOSocket, ValueTask> handler)
    {
        Sockets.OnConnection(handler);
        return this;
    }

    /// <summary>Adds a synchronous connection handler to <c>/</c>.</summary>
    public SocketIOServer OnConnection(Action<SocketIOSocket> handler)
    {
        Sockets.OnConnection(handler);
        return this;
    }

    /// <summary>Emits to every socket of <c>/</c>.</summary>
    public bool Emit(string eventName, params object?[] args) => Sockets.Emit(eventName, args);

    /// <summary>Selects members of <paramref name="room"/> in <c>/</c>.</summary>
    public BroadcastOperator To(string room) => Sockets.To(room);

    /// <summary>Selects members of any of <paramref name="rooms"/> in <c>/</c>.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => Sockets.To(rooms);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => Sockets.In(room);

    /// <summary>Every socket of <c>/</c> except members of <paramref name="room"/>.</summary>
    public BroadcastOperator Except(string room) => Sockets.Except(room);

    /// <summary>Every socket of <c>/</c>, volatile.</summary>
    public BroadcastOperator Volatile => Sockets.Volatile;

    /// <summary>Every socket of <c>/</c> on this node.</summary>
    public BroadcastOperator Local => Sockets.Local;

    /// <summary>Every socket of <c>/</c>, with an ack timeout.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => Sockets.Timeout(timeout);

    /// <summary>Describes every socket of <c>/</c>.</summary>
    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) =>
        Sockets.FetchSocketsAsync(cancellationToken);

    /// <summary>Makes every socket of <c>/</c> join <paramref name="rooms"/>.</summary>
    public void SocketsJoin(params string[] rooms) => Sockets.SocketsJoin(rooms);

    /// <summary>Makes every socket of <c>/</c> leave <paramref name="rooms"/>.</summary>
    public void SocketsLeave(params string[] rooms) => Sockets.SocketsLeave(rooms);

    /// <summary>Disconnects every socket of <c>/</c>.</summary>
    public void DisconnectSockets(bool close = false) => Sockets.DisconnectSockets(close);

    /// <summary>Sends an event to <c>/</c> on the other nodes.</summary>
    public void ServerSideEmit(string eventName, params object?[] args) => Sockets.ServerSideEmit(eventName, args);

    /// <summary>Finds a namespace for a client's CONNECT: an existing one, or a new child of a matching parent.</summary>
    internal bool TryGetNamespace(string name, JsonElement auth, [NotNullWhen(true)] out SocketIONamespace? nsp)
    {
        lock (_lock)
        {
            if (_namespaces.TryGetValue(name, out nsp))
            {
                return true;
            }
        }
        foreach (var parent in _parents)
        {
            if (!parent.Matches(name, auth))
            {
                continue;
            }
            lock (_lock)
            {
                if (!_namespaces.TryGetValue(name, out nsp))
                {
                    _namespaces[name] = nsp = new SocketIONamespace(this, name, parent);
                    parent.AddChild(nsp);
                }
            }
            return true;
        }
        nsp = null;
        return false;
    }
}
