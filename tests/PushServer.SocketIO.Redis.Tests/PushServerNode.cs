using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// A PushServer node: Kestrel on 127.0.0.1:0 with AddSocketIO and the Redis adapter. Its clients may emit
/// <c>join</c> room (acked <c>"joined"</c>) and <c>leave</c> room; server-side <c>ping</c> is answered <c>"pong from dotnet"</c>.
/// </summary>
internal sealed class PushServerNode : IClusterTestNode
{
    private readonly KestrelTestServer _server;

    private PushServerNode(KestrelTestServer server) => _server = server;

    public SocketIOServer Io => _server.Services.GetRequiredService<SocketIOServer>();

    public RedisAdapter Adapter => (RedisAdapter)Io.Sockets.Adapter;

    public RedisShardedAdapter ShardedAdapter => (RedisShardedAdapter)Io.Sockets.Adapter;

    public RedisAdapterConnection Connection => _server.Services.GetRequiredService<RedisAdapterConnection>();

    public IServiceProvider Services => _server.Services;

    public bool IsClusterConnected => Io.Sockets.Adapter is RedisShardedAdapter sharded ? sharded.IsConnected : Adapter.IsConnected;

    public Task<HealthReport> CheckReadinessAsync() =>
        _server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(RedisAdapterHealthCheck.Tag));

    /// <summary>
    /// Waits until the node's readiness is <paramref name="status"/>, within <paramref name="within"/> (30 s unless
    /// told). Nothing announces when a shard's connection dropped or a subscription was re-sent, so this asks often.
    /// </summary>
    public async Task WaitForReadinessAsync(HealthStatus status, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while ((await CheckReadinessAsync()).Status != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The node's readiness did not become {status}.");
            await Task.Delay(20);
        }
    }

    public string Url => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Starts a node on the classic pub/sub adapter, or with <paramref name="sharded"/> on the sharded one in that mode.</summary>
    public static async Task<PushServerNode> StartAsync(
        string redisUrl, TimeSpan? requestsTimeout = null, bool waitForRedis = true, ShardedSubscriptionMode? sharded = null)
    {
        void Connection(RedisAdapterOptions o)
        {
            o.Configuration = redisUrl;
            o.RequestsTimeout = requestsTimeout ?? TimeSpan.FromSeconds(5);
        }
        var server = await KestrelTestServer.StartAsync(
            services =>
            {
                var socketIO = services.AddSocketIO();
                _ = sharded is { } mode
                    ? socketIO.AddSocketIORedisSharded(Connection, s => s.SubscriptionMode = mode)
                    : socketIO.AddSocketIORedis(Connection);
            },
            app => app.MapSocketIO("/socket.io", Configure));
        var node = new PushServerNode(server);
        if (waitForRedis)
        {
            await (sharded is null ? node.Adapter.WaitUntilSubscribedAsync() : node.ShardedAdapter.WaitUntilSubscribedAsync()).DefaultTimeout();
        }
        return node;
    }

    public async Task<(NodeClient Client, string Id)> ConnectClientAsync()
    {
        var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(Url) { Transports = ["websocket"] });
        try
        {
            var connect = await client.WaitForEventAsync("connect");
            return (client, connect.GetProperty("id").GetString()!);
        }
        catch
        {
            // The caller never gets a client that did not connect, so its Node process is ended here.
            await client.DisposeAsync();
            throw;
        }
    }

    private static void Configure(SocketIOServer io)
    {
        io.OnConnection(socket =>
        {
            socket.Data = new Dictionary<string, string> { ["from"] = "dotnet" };
            socket.On("join", e =>
            {
                socket.Join(e.Args.GetString(0)!);
                e.Ack("joined");
            });
        });
        io.Sockets.OnServerSideEmitWithAck("ping", _ => ValueTask.FromResult<object?>("pong from dotnet"));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
