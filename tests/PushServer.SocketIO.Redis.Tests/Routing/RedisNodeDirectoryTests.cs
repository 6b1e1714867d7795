using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PushServer.SocketIO.Redis.Routing;
using PushServer.Testing;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis.Tests.Routing;

/// <summary>The node directory on a real redis-server: what lookups for a node it has not read yet find.</summary>
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

    [Fact]
    public async Task A_node_published_just_after_a_regular_refresh_is_found_by_the_next_lookup()
    {
        var options = new RedisAdapterOptions { Configuration = $"127.0.0.1:{_redis.Port}" };
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var connection = new RedisAdapterConnection(Options.Create(options), NullLogger<RedisAdapterConnection>.Instance);
        await using var directory = new RedisNodeDirectory(connection, clock);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options.Configuration);
        var db = redis.GetDatabase();
        var key = RedisNodeDirectory.KeyFor(options.KeyPrefix);

        // This node publishes itself; a regular refresh (the clock moved by one interval) writes and reads the hash.
        directory.Start("AAAAAAAA", new Uri("http://127.0.0.1:2"));
        var first = await WaitForEntryAsync(db, key, previous: null);
        clock.Advance(RedisNodeDirectory.RefreshInterval);
        await WaitForEntryAsync(db, key, previous: first);

        // Another node publishes within the same second, and one of its sessions reaches this node at once.
        var expiry = clock.GetUtcNow().Add(RedisNodeDirectory.EntryLifetime).ToUnixTimeMilliseconds();
        await db.HashSetAsync(key, "BBBBBBBB", $"{expiry}|http://127.0.0.1:1");

        Assert.Equal(new Uri("http://127.0.0.1:1"), await directory.FindAsync("BBBBBBBB", CancellationToken.None));
    }

    /// <summary>Waits until this node's entry is written with another value than <paramref name="previous"/>.</summary>
    private static async Task<string> WaitForEntryAsync(IDatabase db, string key, string? previous)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await db.HashGetAsync(key, "AAAAAAAA");
            if (value.HasValue && value.ToString() != previous)
            {
                return value.ToString();
            }
            await Task.Delay(20, deadline.Token);
        }
    }
}
