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

    /// <summary>Two nodes in <paramref name="mode"/> and a client on each; a broadcast from B has reached A's client.</summary>
    private protected async Task<(PushServerNode A, PushServerNode B, NodeClient OnA, NodeClient OnB)> StartTwoHearingNodesAsync(
        ShardedSubscriptionMode mode = ShardedSubscriptionMode.Static)
    {
        var a = await StartNodeAsync(mode);
        var b = await StartNodeAsync(mode);
        var onA = Own((await a.ConnectClientAsync()).Client);
        var onB = Own((await b.ConnectClientAsync()).Client);
        await b.Io.Sockets.To([]).EmitAsync("before", []);
        await onA.WaitForServerEventAsync("before");
        return (a, b, onA, onB);
    }

    /// <summary>
    /// Makes the node's multiplexer read the topology now. A read already under way makes this one a no-op, so it is
    /// asked again until one ran from start to end.
    /// </summary>
    private protected static async Task ReadTopologyAsync(PushServerNode node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await node.Connection.Multiplexer!.ConfigureAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, "The multiplexer never re-read the topology.");
            await Task.Delay(50);
        }
    }

    private async Task<PushServerNode> StartNodeAsync(ShardedSubscriptionMode mode) =>
        Own(await PushServerNode.StartAsync(fixture.Cluster.Url, TimeSpan.FromSeconds(3), sharded: mode));
}
