using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PushServer.SocketIO.Redis.Tests.Streams;

/// <summary>
/// A PushServer node with the Redis Streams adapter and connection state recovery: Kestrel on 127.0.0.1:0. Its
/// clients may emit <c>join</c> room (acked <c>"joined"</c>); each disconnect is recorded with its reason.
/// </summary>
internal sealed class StreamsNode : IClusterTestNode
{
    private readonly KestrelTestServer _server;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _disconnects;

    private StreamsNode(KestrelTestServer server, ConcurrentDictionary<string, TaskCompletionSource<string>> disconnects)
    {
        _server = server;
        _disconnects = disconnects;
    }

    public SocketIOServer Io => _server.Services.GetRequiredService<SocketIOServer>();

    public RedisStreamsAdapter Adapter => (RedisStreamsAdapter)Io.Sockets.Adapter;

    public RedisAdapterConnection Connection => _server.Services.GetRequiredService<RedisAdapterConnection>();

    public string Url => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    public bool IsClusterConnected => Adapter.IsConnected;

    /// <summary>The node's readiness checks (tag <c>ready</c>), as <c>/health/ready</c> would run them.</summary>
    public Task<HealthReport> CheckReadinessAsync() =>
        _server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(RedisAdapterHealthCheck.Tag));

    public static async Task<StreamsNode> StartAsync(
        string redisUrl, bool recovery = true, Action<RedisStreamsAdapterOptions>? streams = null, TimeSpan? requestsTimeout = null)
    {
        var disconnects = new ConcurrentDictionary<string, TaskCompletionSource<string>>();
        var server = await KestrelTestServer.StartAsync(
            services => services
                .AddSocketIO(o => o.ConnectionStateRecovery = recovery ? new ConnectionStateRecoveryOptions() : null)
                .AddSocketIORedisStreams(o =>
                {
                    o.Configuration = redisUrl;
                    o.RequestsTimeout = requestsTimeout ?? TimeSpan.FromSeconds(3);
                }, streams),
            app => app.MapSocketIO("/socket.io", io => Configure(io, disconnects)));
        var node = new StreamsNode(server, disconnects);
        // The root namespace exists once the app is mapped; wait until its reader is running.
        await node.Adapter.WaitUntilReadyAsync().DefaultTimeout();
        return node;
    }

    /// <summary>
    /// Waits until <paramref name="socketId"/> has left with a recoverable reason and its session has reached Redis:
    /// the session's SET was queued on the node's connection before the disconnect handlers ran, so a PING behind it
    /// on that connection completes after it.
    /// </summary>
    public async Task<string> WaitForPersistedDisconnectAsync(string socketId)
    {
        var reason = await _disconnects.GetOrAdd(socketId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.DefaultTimeout();
        await Connection.Multiplexer!.GetDatabase().PingAsync().DefaultTimeout();
        return reason;
    }

    private static void Configure(SocketIOServer io, ConcurrentDictionary<string, TaskCompletionSource<string>> disconnects)
    {
        io.OnConnection(socket =>
        {
            if (!socket.Recovered)
            {
                // A recovered socket keeps the data its session stored.
                socket.Data = new Dictionary<string, string> { ["from"] = "dotnet" };
            }
            socket.On("join", e =>
            {
                socket.Join(e.Args.GetString(0)!);
                e.Ack("joined");
            });
            socket.OnDisconnect(reason => disconnects.GetOrAdd(socket.Id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(reason));
        });
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
