using Microsoft.Extensions.Diagnostics.HealthChecks;
using PushServer.SocketIO.Redis.Tests.Streams;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>The Redis adapters a cluster test runs over.</summary>
public enum AdapterKind
{
    /// <summary>@socket.io/redis-adapter's pub/sub protocol (<see cref="RedisAdapter"/>).</summary>
    PubSub,

    /// <summary>@socket.io/redis-streams-adapter's stream (<see cref="RedisStreamsAdapter"/>).</summary>
    Streams,
}

/// <summary>A PushServer node of either adapter, as the tests that run over both see it.</summary>
internal interface IClusterTestNode : IAsyncDisposable
{
    SocketIOServer Io { get; }

    string Url { get; }

    RedisAdapterConnection Connection { get; }

    /// <summary>True while the adapter reaches the cluster: its channels subscribed, or its stream read.</summary>
    bool IsClusterConnected { get; }

    /// <summary>The node's readiness checks (tag <c>ready</c>), as <c>/health/ready</c> would run them.</summary>
    Task<HealthReport> CheckReadinessAsync();
}

/// <summary>Starts a node of the adapter a test runs over.</summary>
internal static class ClusterTestNodes
{
    /// <summary>
    /// A node of <paramref name="kind"/> on <paramref name="redisUrl"/>; with the streams adapter, with connection state
    /// recovery as <paramref name="recovery"/> says and the stream options <paramref name="streams"/> sets (the pub/sub
    /// adapter has neither).
    /// </summary>
    public static async Task<IClusterTestNode> StartAsync(
        AdapterKind kind, string redisUrl, bool recovery = true, Action<RedisStreamsAdapterOptions>? streams = null, TimeSpan? requestsTimeout = null) =>
        kind == AdapterKind.PubSub
            ? await PushServerNode.StartAsync(redisUrl, requestsTimeout)
            : await StreamsNode.StartAsync(redisUrl, recovery, streams, requestsTimeout);
}
