using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PushServer.SocketIO.Adapters;
using PushServer.Testing;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>Redis going away and coming back: nodes keep serving their clients, say so, and rejoin by themselves.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private readonly List<IAsyncDisposable> _owned = [];

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
        await _redis.DisposeAsync();
    }

    private async Task<PushServerNode> NodeAsync(bool waitForRedis = true)
    {
        var node = await PushServerNode.StartAsync(_redis.Url, TimeSpan.FromSeconds(2), waitForRedis);
        _owned.Add(node);
        return node;
    }

    private async Task<NodeClient> ClientAsync(PushServerNode node)
    {
        var (client, _) = await node.ConnectClientAsync();
        _owned.Add(client);
        return client;
    }

    private static Task WaitForStateAsync(PushServerNode node, bool connected)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Connection.ConnectionStateChanged += state =>
        {
            if (state == connected)
            {
                reached.TrySetResult();
            }
        };
        if (node.Connection.IsConnected == connected)
        {
            reached.TrySetResult();
        }
        return reached.Task.DefaultTimeout(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Waits until both nodes count each other again. Redis gives no notice when a restored connection has re-sent
    /// its subscriptions, so this asks it (PUBSUB NUMSUB), a few times a second, until the answer is right.
    /// </summary>
    private static async Task WaitForClusterAsync(PushServerNode node, int nodes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await node.Adapter.ServerCountAsync(timeout.Token) != nodes)
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    private static async Task<HealthStatus> ReadinessAsync(PushServerNode node) =>
        (await node.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Tags.Contains(RedisAdapterHealthCheck.Tag))).Status;

    [Fact]
    public async Task Redis_killed_and_restarted_mid_stream_the_nodes_survive_report_it_and_resume_cross_node_delivery()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();
        var onA = await ClientAsync(a);
        var onB = await ClientAsync(b);
        b.Io.Emit("tick", 1);
        await onA.WaitForServerEventAsync("tick");
        await onB.WaitForServerEventAsync("tick");
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(a));

        await _redis.StopAsync();
        await WaitForStateAsync(a, connected: false);
        await WaitForStateAsync(b, connected: false);

        Assert.False(b.Connection.IsConnected);
        Assert.Equal(HealthStatus.Unhealthy, await ReadinessAsync(b));
        var during = await b.Io.Sockets.To([]).EmitAsync("tick", [2]);
        Assert.Equal(BroadcastReach.ThisNodeOnlyClusterUnavailable, during.Reach);
        Assert.False(during.ReachedEveryNode);
        Assert.Equal(1, during.LocalRecipients);
        // The node's own client is still served.
        Assert.Equal(2, (await onB.WaitForServerEventAsync("tick")).GetProperty("args")[0].GetInt32());
        var fetched = await b.Io.Sockets.To([]).FetchSocketsFromClusterAsync();
        Assert.False(fetched.ClusterReachable);
        Assert.Single(fetched.Value);

        await _redis.StartAgainAsync();
        await WaitForStateAsync(a, connected: true);
        await WaitForStateAsync(b, connected: true);
        await WaitForClusterAsync(b, 2);

        var after = await b.Io.Sockets.To([]).EmitAsync("tick", [3]);
        Assert.Equal(BroadcastReach.Cluster, after.Reach);
        // tick 2 never reached node A: its next tick is 3.
        Assert.Equal(3, (await onA.WaitForServerEventAsync("tick")).GetProperty("args")[0].GetInt32());
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(a));
        // Logged once per change of state and node, however many retries the outage took.
        Assert.Equal(2, TestLog.AtLeast(Microsoft.Extensions.Logging.LogLevel.Warning).Count(
            e => e.EventId == RedisEventIds.ConnectionLost && e.Message.Contains($":{_redis.Port}", StringComparison.Ordinal)));
        Assert.Equal(2, TestLog.AtLeast(Microsoft.Extensions.Logging.LogLevel.Information).Count(
            e => e.EventId == RedisEventIds.ConnectionRestored && e.Message.Contains($":{_redis.Port}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_node_started_while_redis_is_down_serves_its_clients_and_joins_the_cluster_when_redis_comes()
    {
        await _redis.StopAsync();
        var a = await NodeAsync(waitForRedis: false);
        var onA = await ClientAsync(a);

        Assert.False(a.Connection.IsConnected);
        Assert.Equal(HealthStatus.Unhealthy, await ReadinessAsync(a));
        a.Io.Emit("local", "still served");
        await onA.WaitForServerEventAsync("local");

        await _redis.StartAgainAsync();
        await a.Adapter.WaitUntilSubscribedAsync().DefaultTimeout(TimeSpan.FromSeconds(30));
        var b = await NodeAsync();
        await WaitForClusterAsync(b, 2);

        b.Io.Emit("remote", "from b");
        await onA.WaitForServerEventAsync("remote");
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(a));
    }
}
