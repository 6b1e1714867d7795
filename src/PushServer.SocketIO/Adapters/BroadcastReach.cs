namespace PushServer.SocketIO.Adapters;

/// <summary>Where a broadcast went.</summary>
public enum BroadcastReach
{
    /// <summary>This node only, as asked: a single-node adapter, or the <c>Local</c> flag.</summary>
    ThisNode,

    /// <summary>This node's clients, and the packet was handed to the cluster for the other nodes.</summary>
    Cluster,

    /// <summary>This node's clients only, because the cluster was unreachable: other nodes' clients missed it.</summary>
    ThisNodeOnlyClusterUnavailable,
}
