using PushServer.SocketIO.Redis.Tests.Streams;
using static PushServer.SocketIO.Redis.Tests.Streams.StreamsTestClients;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// The Redis Streams adapter on a real Redis Cluster (three masters, three replicas): the stream is one key, so it
/// lives on one shard, and every command the adapter sends names a single key, which a cluster routes to its shard.
/// </summary>
public sealed class RedisClusterStreamsTests(RedisClusterFixture fixture) : IClassFixture<RedisClusterFixture>, IAsyncLifetime
{
    private readonly TestResources _resources = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _resources.DisposeAsync();
    }

    private async Task<StreamsNode> NodeAsync()
    {
        var node = await StreamsNode.StartAsync(fixture.Cluster.Url);
        _resources.Add(node);
        return node;
    }

    [Fact]
    public async Task A_broadcast_on_one_node_reaches_the_clients_of_both_with_the_same_offset()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();
        var (onA, _) = await ConnectAsync(a.Url);
        _resources.Add(onA);
        var (onB, _) = await ConnectAsync(b.Url);
        _resources.Add(onB);

        var result = await b.Io.Sockets.To([]).EmitAsync("news", ["hello"]);

        var atA = await onA.WaitForServerEventAsync("news");
        var atB = await onB.WaitForServerEventAsync("news");
        Assert.Equal("hello", atA.GetProperty("args")[0].GetString());
        Assert.Equal(OffsetOf(atA), OffsetOf(atB));
        Assert.Equal(BroadcastReach.Cluster, result.Reach);
    }
}
