using Microsoft.Extensions.Diagnostics.HealthChecks;
using PushServer.SocketIO.Redis.Tests.Sharded;
using PushServer.Testing;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// A crash of the Redis Cluster master owning the sharded broadcast channel's slot, under the sharded adapter: the
/// PushServer node's readiness says it does not hear the cluster until a replica has taken over and the channel is
/// subscribed again there, then pushes between two PushServer nodes flow again. A class of its own, as
/// the failover changes its cluster for good.
/// </summary>
public sealed class RedisClusterShardedFailoverTests(RedisClusterFixture fixture) : OwningTests, IClassFixture<RedisClusterFixture>
{
    /// <summary>
    /// Waits until the node's readiness is <paramref name="status"/>. Nothing announces when a shard's connection
    /// dropped or a subscription was re-sent, so this asks often, within a generous bound.
    /// </summary>
    private static async Task WaitForReadinessAsync(PushServerNode node, HealthStatus status, CancellationToken stop = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while ((await node.CheckReadinessAsync()).Status != status)
        {
            Assert.False(timeout.IsCancellationRequested, $"The node's readiness did not become {status}.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task The_node_is_not_ready_while_the_channels_master_fails_over_and_pushes_flow_again_after()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var onA = Own((await a.ConnectClientAsync()).Client);
        var onB = Own((await b.ConnectClientAsync()).Client);
        await b.Io.Sockets.To([]).EmitAsync("before", []);
        await onA.WaitForServerEventAsync("before");
        Assert.Equal(HealthStatus.Healthy, (await a.CheckReadinessAsync()).Status);

        // Watched from before the kill: the unready spell may be over by the time the cluster reports a new master.
        var unready = WaitForReadinessAsync(a, HealthStatus.Unhealthy);
        var killed = await fixture.Cluster.KillMasterOfAsync("socket.io#/#");
        await unready;
        await WaitForReadinessAsync(a, HealthStatus.Healthy);
        await WaitForReadinessAsync(b, HealthStatus.Healthy);

        Assert.True(a.IsClusterConnected);
        await b.Io.Sockets.To([]).EmitAsync("after", [killed]);
        Assert.Equal(killed, (await onA.WaitForServerEventAsync("after", TimeSpan.FromSeconds(30))).GetProperty("args")[0].GetInt32());
        await a.Io.Sockets.To([]).EmitAsync("back", []);
        await onB.WaitForServerEventAsync("back", TimeSpan.FromSeconds(30));
    }

    private async Task<PushServerNode> StartNodeAsync()
    {
        return Own(await PushServerNode.StartAsync(fixture.Cluster.Url, TimeSpan.FromSeconds(3), sharded: ShardedSubscriptionMode.Static));
    }
}
