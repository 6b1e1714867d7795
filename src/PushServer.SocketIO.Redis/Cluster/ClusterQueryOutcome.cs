using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis.Cluster;

/// <summary>What a question to the other nodes brought back: their answers, and who was expected and silent.</summary>
/// <param name="Answers">The answers, as the transport fed them in.</param>
/// <param name="Expected">How many nodes were asked.</param>
/// <param name="Reachable">False when the cluster could not be asked.</param>
/// <param name="Missing">The ids of the nodes that did not answer, when known.</param>
public sealed record ClusterQueryOutcome(IReadOnlyList<object?> Answers, int Expected, bool Reachable, IReadOnlyList<string> Missing)
{
    /// <summary>The cluster could not be asked: only this node's part.</summary>
    public static ClusterQueryOutcome Unreachable { get; } = new([], 0, false, []);

    /// <summary>No other node to ask.</summary>
    public static ClusterQueryOutcome Alone { get; } = new([], 0, true, []);

    /// <summary>The outcome with <paramref name="value"/>, the merged answers, as a cluster result.</summary>
    public ClusterResult<T> ToResult<T>(T value) => new(value, Expected, Math.Min(Answers.Count, Expected), Reachable, Missing);
}
