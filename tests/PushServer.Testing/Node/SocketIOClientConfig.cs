namespace PushServer.Testing;

/// <summary>
/// What <c>tests/node/socketio-client.js</c> connects with. Null members are left out and take
/// the driver's defaults.
/// </summary>
/// <param name="Url">The server, e.g. <c>http://127.0.0.1:5123</c>, without the namespace.</param>
public sealed record SocketIOClientConfig(string Url)
{
    /// <summary>Request path; the driver's default is <c>/socket.io/</c>.</summary>
    public string? Path { get; init; }

    /// <summary>Client major version: 4 (socket.io-client 4.8.x, the default) or 2 (2.5.x, Engine.IO v3).</summary>
    public int Version { get; init; } = 4;

    /// <summary><c>["polling"]</c>, <c>["websocket"]</c> or <c>["polling","websocket"]</c> (the default, which upgrades).</summary>
    public IReadOnlyList<string>? Transports { get; init; }

    /// <summary>Namespace to join; the driver's default is <c>/</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary>The CONNECT packet's auth payload (4.x); a 2.x client sends it in the query string instead.</summary>
    public object? Auth { get; init; }

    /// <summary>Extra query parameters sent with every request.</summary>
    public IReadOnlyDictionary<string, string>? Query { get; init; }

    /// <summary>Automatic reconnection; off by default in the driver, so a disconnect is final unless asked.</summary>
    public bool? Reconnection { get; init; }

    /// <summary>A new Manager for this socket; the driver's default is true.</summary>
    public bool? ForceNew { get; init; }

    /// <summary>Connect on start; the driver's default is true. With false, call <see cref="NodeClient.ConnectAsync"/>.</summary>
    public bool? AutoConnect { get; init; }

    /// <summary>Extra client options passed through as they are, e.g. <c>{"reconnectionDelay": 50}</c>.</summary>
    public IReadOnlyDictionary<string, object?>? Options { get; init; }
}
