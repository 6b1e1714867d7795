using PushServer.SocketIO.Redis.Tests.Sharded;
using PushServer.Testing;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// What the failover tests of the sharded adapter share: two PushServer nodes on the cluster, each with a client, shown
/// to hear each other before the cluster is made to fail over.
/// </summary>
public abstract class ShardedFailoverTests(RedisClusterFixture fixture) : OwningTests
{
    /// <summary>The cluster, which each test changes for good.</summary>
    private protected RedisClusterFixture Fixture => fixture;

    /// <summary>Two nodes and a client on each; a broadcast from B has reached A's client.</summary>
    private protected async Task<(PushServerNode A, PushServerNode B, NodeClient OnA, NodeClient OnB)> StartTwoHearingNodesAsync()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var onA = Own((await a.ConnectClientAsync()).Client);
        var onB = Own((await b.ConnectClientAsync()).Client);
        await b.Io.Sockets.To([]).EmitAsync("before", []);
        await onA.WaitForServerEventAsync("before");
        return (a, b, onA, onB);
    }

    private async Task<PushServerNode> StartNodeAsync() =>
        Own(await PushServerNode.StartAsync(fixture.Cluster.Url, TimeSpan.FromSeconds(3), sharded: ShardedSubscriptionMode.Static));
}
