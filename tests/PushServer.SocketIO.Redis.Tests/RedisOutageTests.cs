using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using static PushServer.SocketIO.Redis.Tests.Streams.StreamsTestClients;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// Redis going away and coming back, under either adapter: each node keeps serving its own clients, callers get
/// results rather than exceptions, the nodes say what happened and rejoin by themselves, and broadcasts cross nodes
/// again without restarting either.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly TestResources _owned = new();
    // A stream of this test's own, so the log entries it looks for are its nodes' and no other test's.
    private readonly string _stream = "outage-" + Guid.NewGuid().ToString("N");
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _owned.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private async Task<IClusterTestNode> NodeAsync(AdapterKind kind, bool recovery = false)
    {
        var node = await ClusterTestNodes.StartAsync(kind, _redis.Url, recovery, s =>
        {
            s.StreamName = _stream;
            // Nodes count each other again soon after Redis is back.
            s.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
            s.HeartbeatTimeout = TimeSpan.FromSeconds(3);
        }, kind == AdapterKind.PubSub ? TimeSpan.FromSeconds(2) : null);
        _owned.Add(node);
        return node;
    }

    private async Task<NodeClient> ClientAsync(IClusterTestNode node)
    {
        var (client, _) = await ConnectAsync(node.Url);
        _owned.Add(client);
        return client;
    }

    private static Task WaitForStateAsync(IClusterTestNode node, bool connected)
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
    /// Waits until the node reaches the cluster again and counts <paramref name="nodes"/> nodes. Nothing tells when a
    /// restored connection has re-sent its subscriptions (pub/sub) or when the other node's heartbeat was read
    /// (streams), so this asks, a few times a second, until the answer is right.
    /// </summary>
    private static async Task WaitForClusterAsync(IClusterTestNode node, int nodes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!node.IsClusterConnected || await node.Io.Sockets.Adapter.ServerCountAsync(timeout.Token) != nodes)
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Polls the node's readiness until it has <paramref name="status"/>; returns that report.</summary>
    private static async Task<HealthReport> WaitForReadinessAsync(IClusterTestNode node, HealthStatus status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var report = await node.CheckReadinessAsync();
            if (report.Status == status)
            {
                return report;
            }
            await Task.Delay(100, timeout.Token);
        }
    }

    private int Logged(int eventId, string about) =>
        TestLog.AtLeast(LogLevel.Information).Count(e => e.EventId == eventId && e.Message.Contains(about, StringComparison.Ordinal));

    [Theory]
    [InlineData(AdapterKind.PubSub, false)]
    [InlineData(AdapterKind.Streams, true)]
    [InlineData(AdapterKind.Streams, false)]
    public async Task Redis_killed_and_restarted_the_nodes_serve_their_own_clients_meanwhile_report_it_and_cross_node_broadcasts_resume(
        AdapterKind kind, bool recovery)
    {
        var a = await NodeAsync(kind, recovery);
        var b = await NodeAsync(kind, recovery);
        var onA = await ClientAsync(a);
        var onB = await ClientAsync(b);
        await WaitForClusterAsync(b, 2);
        Assert.Equal(BroadcastReach.Cluster, (await b.Io.Sockets.To([]).EmitAsync("tick", ["1"])).Reach);
        await WaitForAsync(onA, "tick", "1");
        await WaitForAsync(onB, "tick", "1");
        Assert.Equal(HealthStatus.Healthy, (await a.CheckReadinessAsync()).Status);

        await _redis.StopAsync();
        // Emitted before the node has noticed: the write fails, or waits for the connection, and the node's own client
        // gets the event either way; the caller is not thrown at.
        var unnoticed = b.Io.Sockets.To([]).EmitAsync("edge", ["unnoticed"]).AsTask();
        await WaitForStateAsync(a, connected: false);
        await WaitForStateAsync(b, connected: false);
        Assert.False(b.IsClusterConnected);
        await WaitForReadinessAsync(b, HealthStatus.Unhealthy);

        // Each node still reaches its own clients, with an awaited emit and with a fire-and-forget one; nothing throws.
        var during = await b.Io.Sockets.To([]).EmitAsync("tick", ["2"]);
        Assert.Equal(BroadcastReach.ThisNodeOnlyClusterUnavailable, during.Reach);
        Assert.False(during.ReachedEveryNode);
        Assert.Equal(1, during.LocalRecipients);
        await WaitForAsync(onB, "tick", "2");
        a.Io.Emit("tick", "2a");
        await WaitForAsync(onA, "tick", "2a");
        var fetched = await b.Io.Sockets.To([]).FetchSocketsFromClusterAsync();
        Assert.False(fetched.ClusterReachable);
        Assert.Single(fetched.Value);
        // Joining a room and a server-side emit only cannot tell the other node.
        b.Io.Sockets.SocketsJoin("during-outage");
        b.Io.ServerSideEmit("ping-nodes");

        await _redis.StartAgainAsync();
        await WaitForClusterAsync(a, 2);
        await WaitForClusterAsync(b, 2);

        await unnoticed.DefaultTimeout(TimeSpan.FromSeconds(30));
        await WaitForAsync(onB, "edge", "unnoticed");

        var after = await b.Io.Sockets.To([]).EmitAsync("tick", ["3"]);
        Assert.Equal(BroadcastReach.Cluster, after.Reach);
        await WaitForAsync(onA, "tick", "3");
        await WaitForAsync(onB, "tick", "3");
        a.Io.Emit("tick", "4");
        await WaitForAsync(onB, "tick", "4");
        await WaitForAsync(onA, "tick", "4");
        // Nothing was delivered twice or across during the outage.
        Assert.Equal(["1", "2a", "3", "4"], Received(onA, "tick"));
        Assert.Equal(["1", "2", "3", "4"], Received(onB, "tick"));
        await WaitForReadinessAsync(a, HealthStatus.Healthy);

        if (kind == AdapterKind.PubSub)
        {
            // Logged once per change of state and node, however many retries the outage took.
            Assert.Equal(2, Logged(RedisEventIds.ConnectionLost, $":{_redis.Port}"));
            Assert.Equal(2, Logged(RedisEventIds.ConnectionRestored, $":{_redis.Port}"));
        }
        else
        {
            // Each node's reader said it lost the stream and that it reads it again.
            Assert.Equal(2, Logged(RedisEventIds.StreamReadFailed, _stream));
            Assert.Equal(2, Logged(RedisEventIds.StreamReadResumed, _stream));
        }
    }

    [Fact]
    public async Task A_node_started_while_redis_is_down_serves_its_clients_and_joins_the_cluster_when_redis_comes()
    {
        await _redis.StopAsync();
        var a = await PushServerNode.StartAsync(_redis.Url, TimeSpan.FromSeconds(2), waitForRedis: false);
        _owned.Add(a);
        var onA = await ClientAsync(a);

        Assert.False(a.Connection.IsConnected);
        Assert.Equal(HealthStatus.Unhealthy, (await a.CheckReadinessAsync()).Status);
        a.Io.Emit("local", "still served");
        await onA.WaitForServerEventAsync("local");

        await _redis.StartAgainAsync();
        await a.Adapter.WaitUntilSubscribedAsync().DefaultTimeout(TimeSpan.FromSeconds(30));
        var b = await NodeAsync(AdapterKind.PubSub);
        await WaitForClusterAsync(b, 2);

        b.Io.Emit("remote", "from b");
        await onA.WaitForServerEventAsync("remote");
        Assert.Equal(HealthStatus.Healthy, (await a.CheckReadinessAsync()).Status);
    }

    [Fact]
    public async Task A_stream_that_cannot_be_read_makes_the_node_unready_while_commands_still_work()
    {
        var node = await NodeAsync(AdapterKind.Streams);
        Assert.Equal(HealthStatus.Healthy, (await node.CheckReadinessAsync()).Status);

        // Redis answers commands, but the stream's key now holds a string: every XREAD fails with WRONGTYPE.
        var database = node.Connection.Multiplexer!.GetDatabase();
        await database.KeyDeleteAsync(_stream);
        await database.StringSetAsync(_stream, "not a stream");

        var unready = await WaitForReadinessAsync(node, HealthStatus.Unhealthy);
        Assert.Contains("cannot be read", unready.Entries[RedisAdapterHealthCheck.Name].Description, StringComparison.Ordinal);
        Assert.True(node.Connection.IsConnected);
        Assert.False(node.IsClusterConnected);

        // The reader retries by itself: once the key is a stream again (or gone), the node is ready again.
        await database.KeyDeleteAsync(_stream);
        await WaitForReadinessAsync(node, HealthStatus.Healthy);
        Assert.True(node.IsClusterConnected);
        Assert.Equal(1, Logged(RedisEventIds.StreamReadFailed, _stream));
        Assert.Equal(1, Logged(RedisEventIds.StreamReadResumed, _stream));
    }
}
