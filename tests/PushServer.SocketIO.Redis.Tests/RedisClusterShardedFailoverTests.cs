using Microsoft.Extensions.Diagnostics.HealthChecks;
using PushServer.Testing;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// A crash of the Redis Cluster master owning the sharded broadcast channel's slot, under the sharded adapter: the
/// PushServer node's readiness says it does not hear the cluster until a replica has taken over and the channel is
/// subscribed again there, then pushes between two PushServer nodes flow again. A class of its own, as
/// the failover changes its cluster for good.
/// </summary>
public sealed class RedisClusterShardedFailoverTests(RedisClusterFixture fixture) : IClassFixture<RedisClusterFixture>, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

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
        var (onA, _) = await a.ConnectClientAsync();
        _owned.Add(onA);
        var (onB, _) = await b.ConnectClientAsync();
        _owned.Add(onB);
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
        var node = await PushServerNode.StartAsync(fixture.Cluster.Url, TimeSpan.FromSeconds(3), sharded: ShardedSubscriptionMode.Static);
        _owned.Add(node);
        return node;
    }
}
