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
public sealed class RedisClusterShardedFailoverTests(RedisClusterFixture fixture) : ShardedFailoverTests(fixture), IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task The_node_is_not_ready_while_the_channels_master_fails_over_and_pushes_flow_again_after()
    {
        var (a, b, onA, onB) = await StartTwoHearingNodesAsync();
        Assert.Equal(HealthStatus.Healthy, (await a.CheckReadinessAsync()).Status);

        // Watched from before the kill: the unready spell may be over by the time the cluster reports a new master.
        var unready = a.WaitForReadinessAsync(HealthStatus.Unhealthy);
        var killed = await Fixture.Cluster.KillMasterOfAsync("socket.io#/#");
        await unready;
        await a.WaitForReadinessAsync(HealthStatus.Healthy);
        await b.WaitForReadinessAsync(HealthStatus.Healthy);

        Assert.True(a.IsClusterConnected);
        await b.Io.Sockets.To([]).EmitAsync("after", [killed]);
        Assert.Equal(killed, (await onA.WaitForServerEventAsync("after", TimeSpan.FromSeconds(30))).GetProperty("args")[0].GetInt32());
        await a.Io.Sockets.To([]).EmitAsync("back", []);
        await onB.WaitForServerEventAsync("back", TimeSpan.FromSeconds(30));
    }
}
