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

    /// <summary>The whole cluster's view, when nodes share an adapter (Redis); null on a single node.</summary>
    public ClusterStats? Cluster { get; init; }
}

/// <summary>Counts across every node of a cluster.</summary>
/// <param name="Nodes">Nodes subscribed to the cluster, this one included.</param>
/// <param name="RespondedNodes">Nodes that answered within the request timeout.</param>
/// <param name="Reachable">False while the cluster (Redis) cannot be reached: the counts are this node's only.</param>
/// <param name="Namespaces">Each namespace with its sockets and rooms on all answering nodes.</param>
internal sealed record ClusterStats(int Nodes, int RespondedNodes, bool Reachable, IReadOnlyList<NamespaceStats> Namespaces);

/// <summary>A namespace's counts.</summary>
/// <param name="Name">The namespace.</param>
/// <param name="Sockets">Connected sockets.</param>
/// <param name="Rooms">Rooms, not counting each socket's own room.</param>
internal sealed record NamespaceStats(string Name, int Sockets, int Rooms);
