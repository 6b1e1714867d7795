namespace PushServer.Testing;

/// <summary>
/// What <c>tests/node/engineio-client.js</c> connects with. Null members are left out and take
/// the driver's defaults.
/// </summary>
/// <param name="Url">The server, e.g. <c>http://127.0.0.1:5123</c>.</param>
public sealed record EngineIOClientConfig(string Url)
{
    /// <summary>Request path; the driver's default is <c>/engine.io/</c>.</summary>
    public string? Path { get; init; }

    /// <summary>Engine.IO protocol: 4 (engine.io-client 6.x, the default) or 3 (engine.io-client 3.5.x).</summary>
    public int Protocol { get; init; } = 4;

    /// <summary><c>["polling"]</c>, <c>["websocket"]</c> or <c>["polling","websocket"]</c> (the default, which upgrades).</summary>
    public IReadOnlyList<string>? Transports { get; init; }

    /// <summary>Whether to upgrade from polling to WebSocket; the client's default is true.</summary>
    public bool? Upgrade { get; init; }

    /// <summary>Extra query parameters sent with every request.</summary>
    public IReadOnlyDictionary<string, string>? Query { get; init; }

    /// <summary>Also report every packet received (<c>packet</c>) and sent (<c>packetCreate</c>), pings included.</summary>
    public bool? ReportPackets { get; init; }

    /// <summary>Extra client options passed through as they are, e.g. <c>{"forceBase64": true}</c>.</summary>
    public IReadOnlyDictionary<string, object?>? Options { get; init; }
}
