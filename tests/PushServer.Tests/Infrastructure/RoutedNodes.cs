using StackExchange.Redis;

namespace PushServer.Tests.Infrastructure;

/// <summary>
/// Executables sharing one Redis, started for session routing (Cluster:RouteForeignSessions): each is ready and, when
/// routing is on, published in the node directory before a test relays through it (a lookup that misses is retried at
/// most once a second, which a test should not have to wait out).
/// </summary>
public static class RoutedNodes
{
    /// <summary>The Redis hash where nodes publish <c>tag → Socket.IO URL</c>.</summary>
    public const string DirectoryKey = "socket.io#pushserver#nodes";

    /// <summary>Starts <paramref name="count"/> nodes on <paramref name="redis"/>; each is disposed after everything else.</summary>
    public static async Task<ServerProcess[]> StartAsync(
        RedisServer redis, TestResources resources, int count, IReadOnlyDictionary<string, string>? environment = null)
    {
        var nodes = new ServerProcess[count];
        for (var i = 0; i < count; i++)
        {
            nodes[i] = await ServerProcess.StartAsync(["--redis", redis.Url], environment);
            resources.AddDisposedLast(nodes[i]);
        }
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var expected = environment?.GetValueOrDefault("PUSHSERVER_Cluster__RouteForeignSessions") == "false" ? 0 : count;
        while (await connection.GetDatabase().HashLengthAsync(DirectoryKey) < expected)
        {
            await Task.Delay(50, cts.Token);
        }
        foreach (var node in nodes)
        {
            using var push = new HttpClient { BaseAddress = node.PushUri, Timeout = TimeSpan.FromSeconds(30) };
            while (!(await push.GetAsync("health/ready", cts.Token)).IsSuccessStatusCode)
            {
                await Task.Delay(50, cts.Token);
            }
        }
        return nodes;
    }

    /// <summary>The node tag <paramref name="node"/> published, which every sid it makes ends with (after a dot).</summary>
    public static async Task<string> TagOfAsync(RedisServer redis, ServerProcess node)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        var entries = await connection.GetDatabase().HashGetAllAsync(DirectoryKey);
        // Each value is "expiry|base URL".
        return entries.Single(e => new Uri(e.Value.ToString().Split('|', 2)[1]).Port == node.SocketIOPort).Name.ToString();
    }
}
