using PushServer.SocketIO.Redis.Tests.Streams;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// A PushServer node and a Node socket.io node (@socket.io/redis-adapter, or @socket.io/redis-streams-adapter) on
/// one redis-server, the Node node stopped with SIGSTOP: still counted by the cluster, answering nothing. The
/// PushServer node's request timeout is 60 s, so an operation that waited for it would not end within the tests' 10 s.
/// </summary>
public sealed class FrozenNodeTests : IAsyncLifetime
{
    private static readonly TimeSpan RequestsTimeout = TimeSpan.FromSeconds(60);

    private readonly TestResources _resources = new();
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _resources.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Theory]
    [InlineData("pubsub")]
    [InlineData("streams")]
    public async Task A_fetch_with_a_timeout_returns_what_answered_by_then_and_names_the_frozen_node_missing(string adapter)
    {
        var (io, _, id) = await StartWithFrozenNodeAsync(adapter);

        var fetched = await io.Sockets.Timeout(TimeSpan.FromSeconds(1)).FetchSocketsFromClusterAsync().DefaultTimeout();

        Assert.Equal(id, Assert.Single(fetched.Value).Id);
        Assert.Equal(1, fetched.ExpectedNodeCount);
        Assert.Equal(1, fetched.MissingNodeCount);
        Assert.False(fetched.IsComplete);
    }

    [Theory]
    [InlineData("pubsub")]
    [InlineData("streams")]
    public async Task A_broadcast_with_acks_ends_at_its_timeout_counting_the_clients_the_nodes_reported(string adapter)
    {
        var (io, client, _) = await StartWithFrozenNodeAsync(adapter);

        var asking = io.Timeout(TimeSpan.FromSeconds(1)).EmitWithAckAsync("question", ["?"]);
        var question = await client.WaitForServerEventAsync("question");
        await client.AckAsync(question.GetProperty("ackId").GetInt32(), "here");

        var timedOut = await Assert.ThrowsAsync<SocketIOAckTimeoutException>(() => asking.DefaultTimeout());
        // This node's client, counted by the broadcast itself; the frozen node never reported its count.
        Assert.Equal(1, timedOut.Expected);
        Assert.Equal("here", Assert.Single(timedOut.Responses).GetString(0));
    }

    private async Task<(SocketIOServer Io, NodeClient Client, string Id)> StartWithFrozenNodeAsync(string adapter)
    {
        SocketIOServer io;
        string url;
        if (adapter == "streams")
        {
            // The frozen node must stay counted although its heartbeats stop.
            var dotnet = await StreamsNode.StartAsync(
                _redis.Url, recovery: false, s => s.HeartbeatTimeout = RequestsTimeout, requestsTimeout: RequestsTimeout);
            _resources.Add(dotnet);
            (io, url) = (dotnet.Io, dotnet.Url);
        }
        else
        {
            var dotnet = await PushServerNode.StartAsync(_redis.Url, RequestsTimeout);
            _resources.Add(dotnet);
            (io, url) = (dotnet.Io, dotnet.Url);
        }
        var node = await NodeClient.StartAsync(adapter == "streams" ? "redis-streams-node.js" : "redis-node.js", new { redisUrl = _redis.Url });
        _resources.Add(node);
        using (var deadline = new CancellationTokenSource(TestTimeouts.Default))
        {
            // Polled: nothing signals the moment the Node node's subscription or first heartbeat reached this node.
            while (await io.Sockets.Adapter.ServerCountAsync(deadline.Token) < 2)
            {
                await Task.Delay(20, deadline.Token);
            }
        }

        var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(url) { Transports = ["websocket"] });
        _resources.Add(client);
        var id = (await client.WaitForEventAsync("connect")).GetProperty("id").GetString()!;

        // Disposed first (resources go in reverse order), so the Node node runs again before it is stopped.
        _resources.Add(FrozenProcess.Freeze(node.ProcessId));
        return (io, client, id);
    }
}
