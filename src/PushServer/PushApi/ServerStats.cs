namespace PushServer.PushApi;

/// <summary>What <c>GET /api/stats</c> answers and <c>pushserver status</c> shows.</summary>
internal sealed record ServerStats
{
    /// <summary>The server's version.</summary>
    public required string Version { get; init; }

    /// <summary>Seconds since start.</summary>
    public required double UptimeSeconds { get; init; }

    /// <summary>True while shutting down.</summary>
    public required bool Draining { get; init; }

    /// <summary>Open Engine.IO sessions.</summary>
    public required int Connections { get; init; }

    /// <summary>Open sessions by transport (<c>polling</c>, <c>websocket</c>).</summary>
    public required IReadOnlyDictionary<string, int> Transports { get; init; }

    /// <summary>Open sessions by Engine.IO protocol (<c>3</c>, <c>4</c>).</summary>
    public required IReadOnlyDictionary<string, int> Protocols { get; init; }

    /// <summary>Bytes queued for clients and not yet written.</summary>
    public required long SendQueueBytes { get; init; }

    /// <summary>Each namespace with its sockets and rooms on this node.</summary>
    public required IReadOnlyList<NamespaceStats> Namespaces { get; init; }
}

/// <summary>A namespace's counts.</summary>
/// <param name="Name">The namespace.</param>
/// <param name="Sockets">Connected sockets.</param>
/// <param name="Rooms">Rooms, not counting each socket's own room.</param>
internal sealed record NamespaceStats(string Name, int Sockets, int Rooms);
