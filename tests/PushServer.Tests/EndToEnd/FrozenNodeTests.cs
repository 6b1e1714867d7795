using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PushServer.SocketIO;
using PushServer.SocketIO.Redis;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// A cluster on one redis-server in which the other node, a Node socket.io server or a second pushserver, is stopped
/// with SIGSTOP: its Redis connection stays open, so the cluster still counts it, but it answers nothing. Pushes on
/// the healthy node must answer at once (or at their own ack timeout) and reach its clients without waiting for it.
/// The healthy node waits 60 s for the answers of a cluster query, so a push that waited for the frozen node would not
/// answer within the tests' 10 s.
/// </summary>
public sealed class FrozenNodeTests : RedisResourceTests
{
    private static readonly TimeSpan ClusterQueryTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Each adapter with each kind of frozen node.</summary>
    public static TheoryData<string, string> Clusters => new()
    {
        { "pubsub", "node" },
        { "pubsub", "pushserver" },
        { "streams", "node" },
        { "streams", "pushserver" },
        // Sharded pub/sub on a single Redis 7: the executable started with Redis:Adapter = sharded, beside this one.
        { "sharded", "pushserver" },
    };

    [Theory]
    [MemberData(nameof(Clusters))]
    public async Task A_push_answers_at_once_and_reaches_this_nodes_clients_while_another_node_is_frozen(string adapter, string otherKind)
    {
        var (server, client) = await StartClusterWithFrozenNodeAsync(adapter, otherKind);
        using var push = server.PushClient();

        Assert.Equal("ok", await push.GetStringAsync("?msg=while+frozen").DefaultTimeout());
        Assert.Equal("while frozen", (await client.WaitForServerEventAsync("chat message")).GetProperty("args")[0].GetString());

        var response = await push.PostAsJsonAsync("api/emit", new { @event = "news", args = new[] { "x" } }).DefaultTimeout();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        // Without acks the other nodes report nothing back: the count is this node's clients.
        Assert.Equal(1, body.RootElement.GetProperty("recipients").GetInt32());
        Assert.Equal("cluster", body.RootElement.GetProperty("reach").GetString());
        Assert.Equal("x", (await client.WaitForServerEventAsync("news")).GetProperty("args")[0].GetString());
    }

    [Theory]
    [MemberData(nameof(Clusters))]
    public async Task A_push_with_acks_is_delivered_at_once_and_answers_at_its_ack_timeout_while_another_node_is_frozen(
        string adapter, string otherKind)
    {
        var (server, client) = await StartClusterWithFrozenNodeAsync(adapter, otherKind);
        using var push = server.PushClient();

        var posting = push.PostAsJsonAsync("api/emit", new { @event = "question", args = new[] { "?" }, ackTimeoutMs = 1000 });
        var question = await client.WaitForServerEventAsync("question");
        await client.AckAsync(question.GetProperty("ackId").GetInt32(), "from the healthy node");
        var response = await posting.DefaultTimeout();

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.IsSuccessStatusCode, body.RootElement.ToString());
        // The frozen node never reported how many clients it sent to: the ack timeout ended the wait for it.
        Assert.True(body.RootElement.GetProperty("ackTimedOut").GetBoolean());
        Assert.Equal(1, body.RootElement.GetProperty("recipients").GetInt32());
        Assert.Equal("from the healthy node", Assert.Single(body.RootElement.GetProperty("acks").EnumerateArray()).GetString());
    }

    [Theory]
    [MemberData(nameof(Clusters))]
    public async Task The_user_form_answers_ok_or_offline_without_waiting_for_a_frozen_node(string adapter, string otherKind)
    {
        var (server, client) = await StartClusterWithFrozenNodeAsync(adapter, otherKind);
        await client.EmitAsync("login", "1001");
        await client.WaitForEventAsync("event", e => e.GetProperty("name").GetString() == "update_online_count");
        using var push = server.PushClient();

        Assert.Equal("ok", await push.GetStringAsync("?type=publish&to=1001&content=for+alice").DefaultTimeout());
        Assert.Equal("for alice", (await client.WaitForServerEventAsync("new_msg")).GetProperty("args")[0].GetString());
        // Nobody here, and the frozen node does not answer the bounded question whether it has user 9999.
        Assert.Equal("offline", await push.GetStringAsync("?type=publish&to=9999&content=nobody").DefaultTimeout());
    }

    [Theory]
    [MemberData(nameof(Clusters))]
    public async Task Join_leave_and_disconnect_answer_at_once_and_act_on_this_nodes_clients_while_another_node_is_frozen(
        string adapter, string otherKind)
    {
        var (server, client) = await StartClusterWithFrozenNodeAsync(adapter, otherKind);
        using var push = server.PushClient();

        // The counts are this node's sockets: the frozen node is told too, but reports nothing back.
        Assert.Equal(1, await SocketOperationAsync(push, "join", new { targetRooms = new[] { "vip" } }));
        await push.PostAsJsonAsync("api/emit", new { @event = "vip news", rooms = new[] { "vip" }, args = new[] { "in" } }).DefaultTimeout();
        Assert.Equal("in", (await client.WaitForServerEventAsync("vip news")).GetProperty("args")[0].GetString());

        Assert.Equal(1, await SocketOperationAsync(push, "leave", new { targetRooms = new[] { "vip" } }));
        using var afterLeave = JsonDocument.Parse(await (await push.PostAsJsonAsync(
            "api/emit", new { @event = "vip news", rooms = new[] { "vip" }, args = new[] { "out" } }).DefaultTimeout()).Content.ReadAsStringAsync());
        Assert.Equal(0, afterLeave.RootElement.GetProperty("recipients").GetInt32());

        Assert.Equal(1, await SocketOperationAsync(push, "disconnect", new { close = true }));
        Assert.Equal("io server disconnect", (await client.WaitForEventAsync("disconnect")).GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("pubsub")]
    [InlineData("streams")]
    [InlineData("sharded")]
    public async Task A_socket_listing_waits_for_a_frozen_node_only_as_long_as_Redis_RequestsTimeout(string adapter)
    {
        var (server, _) = await StartClusterWithFrozenNodeAsync(adapter, "pushserver", requestsTimeout: TimeSpan.FromSeconds(1));
        using var push = server.PushClient();

        Assert.Equal(TimeSpan.FromSeconds(1), server.Services.GetRequiredService<IOptions<RedisAdapterOptions>>().Value.RequestsTimeout);
        // The frozen node never answers: the listing gives up on it after a second and lists this node's socket.
        using var listing = JsonDocument.Parse(await push.GetStringAsync("api/namespaces/%2F/sockets").DefaultTimeout());
        Assert.Single(listing.RootElement.GetProperty("sockets").EnumerateArray());
    }

    private static async Task<int> SocketOperationAsync(HttpClient push, string operation, object body)
    {
        using var response = await push.PostAsJsonAsync($"api/sockets/{operation}", body).DefaultTimeout();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.IsSuccessStatusCode, json.RootElement.ToString());
        return json.RootElement.GetProperty("sockets").GetInt32();
    }

    /// <summary>
    /// Starts the healthy node in this process and the other node as a child process, waits until the healthy node
    /// counts both, connects a client to the healthy node and freezes the other node.
    /// </summary>
    private async Task<(InProcessServer Server, NodeClient Client)> StartClusterWithFrozenNodeAsync(
        string adapter, string otherKind, TimeSpan? requestsTimeout = null)
    {
        var server = await InProcessServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Redis:Url"] = Redis.Url,
                ["Redis:Adapter"] = adapter,
                ["Redis:RequestsTimeout"] = ((int)(requestsTimeout ?? ClusterQueryTimeout).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                ["WebMsgSender:Login"] = "true",
                ["WebMsgSender:OnlineCount"] = "true",
            },
            services =>
            {
                // A Streams node stops counting a silent node after the heartbeat timeout; the frozen one must stay counted.
                services.Configure<RedisStreamsAdapterOptions>(o => o.HeartbeatTimeout = ClusterQueryTimeout);
            });
        Resources.Add(server);

        int processId;
        if (otherKind == "node")
        {
            var node = await NodeClient.StartAsync(adapter == "streams" ? "redis-streams-node.js" : "redis-node.js", new { redisUrl = Redis.Url });
            Resources.Add(node);
            processId = node.ProcessId;
        }
        else
        {
            var other = await ServerProcess.StartAsync(
                ["--redis", Redis.Url], new Dictionary<string, string> { ["PUSHSERVER_Redis__Adapter"] = adapter });
            Resources.Add(other);
            processId = other.ProcessId;
        }
        await WaitUntilCountedAsync(server.Services.GetRequiredService<SocketIOServer>(), nodes: 2);

        var (client, _) = await ConnectClientAsync(new SocketIOClientConfig(server.SocketIOUrl)
        {
            Version = 4,
            Transports = ["websocket"],
        });

        // Resumed before anything else is disposed (resources go in reverse order), so every process stops normally.
        Resources.Add(FrozenProcess.Freeze(processId));
        return (server, client);
    }

    /// <summary>
    /// Polls until the node counts <paramref name="nodes"/> nodes: nothing signals the moment the other node's
    /// subscription or first heartbeat reached it.
    /// </summary>
    private static async Task WaitUntilCountedAsync(SocketIOServer io, int nodes)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        while (await io.Sockets.Adapter.ServerCountAsync(deadline.Token) < nodes)
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
