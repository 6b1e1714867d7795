namespace PushServer.SocketIO.Redis.Cluster;

/// <summary>The other nodes a <see cref="ClusterAdapter"/> asks a question of.</summary>
/// <param name="Count">How many answers to wait for.</param>
/// <param name="Nodes">Their ids when the transport knows them (heartbeats), else null: then answers are counted.</param>
public sealed record ClusterAudience(int Count, IReadOnlyCollection<string>? Nodes = null);
