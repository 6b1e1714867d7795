namespace PushServer.SocketIO.Adapters;

/// <summary>
/// The answer to a question asked of every node (fetch sockets, all rooms, server-side emit with acks). Unlike
/// socket.io, whose <c>fetchSockets</c> rejects when one node is slow, a cluster query returns what the live nodes
/// answered within the request timeout and says how many did not.
/// </summary>
/// <typeparam name="T">The merged answer.</typeparam>
public sealed class ClusterResult<T>
{
    /// <summary>Creates a result; used by adapters.</summary>
    /// <param name="value">The merged answer of this node and the nodes that answered.</param>
    /// <param name="expectedNodeCount">How many other nodes were expected to answer.</param>
    /// <param name="respondedNodeCount">How many other nodes answered in time.</param>
    /// <param name="clusterReachable">False when the cluster could not be asked at all (the value is this node's only).</param>
    /// <param name="missingNodeIds">Ids of the nodes known not to have answered, where the adapter can tell.</param>
    public ClusterResult(T value, int expectedNodeCount, int respondedNodeCount, bool clusterReachable, IReadOnlyList<string>? missingNodeIds = null)
    {
        Value = value;
        ExpectedNodeCount = expectedNodeCount;
        RespondedNodeCount = respondedNodeCount;
        ClusterReachable = clusterReachable;
        MissingNodeIds = missingNodeIds ?? [];
    }

    /// <summary>The merged answer of this node and every node that answered in time.</summary>
    public T Value { get; }

    /// <summary>How many other nodes were expected to answer (0 on a single node).</summary>
    public int ExpectedNodeCount { get; }

    /// <summary>How many other nodes answered before the request timeout.</summary>
    public int RespondedNodeCount { get; }

    /// <summary>How many other nodes did not answer in time.</summary>
    public int MissingNodeCount => Math.Max(0, ExpectedNodeCount - RespondedNodeCount);

    /// <summary>
    /// Ids of the nodes that did not answer, when the adapter can name them (it may list fewer than
    /// <see cref="MissingNodeCount"/>, never a node that answered).
    /// </summary>
    public IReadOnlyList<string> MissingNodeIds { get; }

    /// <summary>False when the cluster could not be reached, so <see cref="Value"/> holds this node's part only.</summary>
    public bool ClusterReachable { get; }

    /// <summary>True when the cluster was reached and every expected node answered.</summary>
    public bool IsComplete => ClusterReachable && MissingNodeCount == 0;

    /// <summary>A single node's answer: complete by definition.</summary>
    public static ClusterResult<T> Local(T value) => new(value, 0, 0, clusterReachable: true);
}
