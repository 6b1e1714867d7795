using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// A crash of the Redis Cluster master that serves the namespace's broadcast channel: a replica is promoted and
/// pushes between two PushServer nodes flow again. A class of its own, as the failover changes its cluster for good.
/// </summary>
public sealed class RedisClusterFailoverTests(RedisClusterFixture fixture) : ClusterNodePairTests(fixture), IClassFixture<RedisClusterFixture>
{
    /// <summary>
    /// Waits until the node is ready again. Nothing announces when a restored connection has re-sent its subscriptions,
    /// so this asks a few times a second, within a generous bound.
    /// </summary>
    private static async Task WaitUntilReadyAsync(PushServerNode node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await node.CheckReadinessAsync()).Status != HealthStatus.Healthy)
        {
            Assert.True(DateTime.UtcNow < deadline, "The node did not become ready again after the failover.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task After_the_master_of_the_broadcast_channel_is_killed_a_replica_takes_over_and_pushes_flow_again()
    {
        var (client, _) = await A.ConnectClientAsync();
        Resources.Add(client);
        B.Io.Emit("before", 1);
        await client.WaitForServerEventAsync("before");
        Assert.Equal(HealthStatus.Healthy, (await A.CheckReadinessAsync()).Status);

        var killed = await Fixture.Cluster.KillMasterOfAsync("socket.io#/#");

        await WaitUntilReadyAsync(A);
        await WaitUntilReadyAsync(B);
        Assert.True(A.IsClusterConnected);
        B.Io.Emit("after", killed);
        Assert.Equal(killed, (await client.WaitForServerEventAsync("after", TimeSpan.FromSeconds(30))).GetProperty("args")[0].GetInt32());
    }
}
