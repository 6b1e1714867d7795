using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PushServer.SocketIO.Redis.Routing;
using PushServer.Testing;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis.Tests.Routing;

/// <summary>The node directory on a real redis-server: what a burst of lookups for a node it has not read yet finds.</summary>
public sealed class RedisNodeDirectoryTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Lookups_arriving_while_a_miss_is_read_wait_for_that_read_instead_of_missing()
    {
        var options = new RedisAdapterOptions { Configuration = $"127.0.0.1:{_redis.Port}" };
        await using var connection = new RedisAdapterConnection(Options.Create(options), NullLogger<RedisAdapterConnection>.Instance);
        await using var directory = new RedisNodeDirectory(connection);
        // A node this one has never read, published as a node does it.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(options.Configuration))
        {
            var expiry = DateTimeOffset.UtcNow.Add(RedisNodeDirectory.EntryLifetime).ToUnixTimeMilliseconds();
            await redis.GetDatabase().HashSetAsync(RedisNodeDirectory.KeyFor(options.KeyPrefix), "BBBBBBBB", $"{expiry}|http://127.0.0.1:1");
        }

        // As when many clients of a new node reach this one at once: every lookup but the first arrives during its read.
        var lookups = Enumerable.Range(0, 20).Select(_ => directory.FindAsync("BBBBBBBB", CancellationToken.None).AsTask()).ToList();
        var found = await Task.WhenAll(lookups).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(found, owner => Assert.Equal(new Uri("http://127.0.0.1:1"), owner));
        // And a tag nobody published is still a miss, answered without reading again within the interval.
        Assert.Null(await directory.FindAsync("ZZZZZZZZ", CancellationToken.None));
    }
}
