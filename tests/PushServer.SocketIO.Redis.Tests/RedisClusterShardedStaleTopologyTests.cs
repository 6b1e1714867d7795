using Microsoft.Extensions.Diagnostics.HealthChecks;
using PushServer.SocketIO.Redis.Tests.Sharded;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// A failover that StackExchange.Redis does not notice. It re-reads the cluster's topology as soon as the connection
/// to a crashed master fails, which is before a replica has taken over, so it re-sends the sharded subscription to the
/// dead master. It learns of the promotion only by asking the replicas it knew of when the master went away, at growing
/// intervals, or at its periodic check a minute later; a promotion it does not see in time (under load, or a reconfigure
/// of its own under way at that moment) leaves the node deaf on that shard. Here that is made certain: the replica that
/// takes over is one the nodes' multiplexers did not know to be the master's. A class of its own, as the failover
/// changes its cluster for good.
/// </summary>
public sealed class RedisClusterShardedStaleTopologyTests(RedisClusterFixture fixture) : ShardedFailoverTests(fixture), IClassFixture<RedisClusterFixture>
{
    private const string Channel = "socket.io#/#";

    [Fact]
    public async Task A_node_whose_client_missed_the_promotion_listens_on_the_new_master_and_pushes_flow_again()
    {
        var (a, b, onA, onB) = await StartTwoHearingNodesAsync();
        var master = await Fixture.Cluster.MasterOfAsync(Channel);
        var (other, promoted) = await OtherMasterAndReplicaAsync(master);
        // The master's replica goes to another master, which the multiplexers learn; then another master's replica
        // comes to it, which they do not learn, so they do not watch it when the master goes away.
        await Fixture.Cluster.ReplicateAsync(await Fixture.Cluster.ReplicaOfAsync(master), other);
        await ReadTopologyAsync(a);
        await ReadTopologyAsync(b);
        await Fixture.Cluster.ReplicateAsync(promoted, master);
        await Fixture.Cluster.AllowAutomaticFailoverAsync(promoted, allowed: false);

        await Fixture.Cluster.KillAsync(master);
        await a.WaitForReadinessAsync(HealthStatus.Unhealthy);
        await b.WaitForReadinessAsync(HealthStatus.Unhealthy);
        // As StackExchange.Redis does by itself on the lost connection, and finished before the promotion.
        await ReadTopologyAsync(a);
        await ReadTopologyAsync(b);
        await Fixture.Cluster.TakeOverAsync(promoted, Channel);

        // Well within StackExchange.Redis's own periodic check (60 s), which would repair it by chance.
        await a.WaitForReadinessAsync(HealthStatus.Healthy, TimeSpan.FromSeconds(20));
        await b.WaitForReadinessAsync(HealthStatus.Healthy, TimeSpan.FromSeconds(20));
        await b.Io.Sockets.To([]).EmitAsync("after", [master]);
        Assert.Equal(master, (await onA.WaitForServerEventAsync("after", TimeSpan.FromSeconds(20))).GetProperty("args")[0].GetInt32());
        await a.Io.Sockets.To([]).EmitAsync("back", []);
        await onB.WaitForServerEventAsync("back", TimeSpan.FromSeconds(20));
    }

    /// <summary>Another master than <paramref name="master"/>, and its replica.</summary>
    private async Task<(int Master, int Replica)> OtherMasterAndReplicaAsync(int master)
    {
        foreach (var port in Fixture.Cluster.Ports.Where(p => p != master))
        {
            if (await Fixture.Cluster.ReplicasOfAsync(port) is [var replica, ..])
            {
                return (port, replica);
            }
        }
        throw new InvalidOperationException("The cluster has no other master with a replica.");
    }
}
