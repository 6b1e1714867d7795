namespace PushServer.Tests.EndToEnd;

/// <summary>Two executables started with <c>--redis</c> against one real redis-server.</summary>
public sealed class ClusterTests : RedisResourceTests
{
    private async Task<ServerProcess> StartNodeAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = await ServerProcess.StartAsync(["--redis", Redis.Url], environment);
        Resources.AddDisposedLast(server);
        using var http = PushClient(server);
        await WaitUntilReadyAsync(http);
        return server;
    }

    private static HttpClient PushClient(ServerProcess node) =>
        new() { BaseAddress = node.PushUri, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A ready node answers <c>health/ready</c> only once it is subscribed to Redis.</summary>
    private static async Task WaitUntilReadyAsync(HttpClient push)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!(await push.GetAsync("health/ready", cts.Token)).IsSuccessStatusCode)
        {
            await Task.Delay(50, cts.Token);
        }
    }

    private async Task<NodeClient> ConnectClientAsync(ServerProcess node, int version = 4) =>
        (await ConnectClientAsync(new SocketIOClientConfig(node.SocketIOUrl) { Version = version })).Client;

    [Fact]
    public async Task A_push_on_one_node_reaches_a_client_on_the_other()
    {
        var nodeA = await StartNodeAsync();
        var nodeB = await StartNodeAsync();
        var client = await ConnectClientAsync(nodeA);
        using var pushB = PushClient(nodeB);

        Assert.Equal("ok", await pushB.GetStringAsync("?msg=across"));
        var received = await client.WaitForServerEventAsync("chat message");
        Assert.Equal("across", received.GetProperty("args")[0].GetString());

        var response = await pushB.PostAsJsonAsync("api/emit", new { @event = "news", args = new[] { "x" } });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("cluster", body.RootElement.GetProperty("reach").GetString());
        // Without acks, other nodes report nothing back: recipients counts node B's clients, and it has none.
        Assert.Equal(0, body.RootElement.GetProperty("recipients").GetInt32());
        Assert.Equal("x", (await client.WaitForServerEventAsync("news")).GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task A_push_with_acks_counts_the_clients_the_other_node_reported()
    {
        var nodeA = await StartNodeAsync();
        var nodeB = await StartNodeAsync();
        var client = await ConnectClientAsync(nodeA);
        using var pushB = PushClient(nodeB);

        var posting = pushB.PostAsJsonAsync("api/emit", new { @event = "question", args = new[] { "?" }, ackTimeoutMs = 5000 });
        var question = await client.WaitForServerEventAsync("question");
        await client.AckAsync(question.GetProperty("ackId").GetInt32(), "from a");
        var response = await posting.DefaultTimeout();

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("ackTimedOut").GetBoolean());
        Assert.Equal(1, body.RootElement.GetProperty("recipients").GetInt32());
        Assert.Equal("from a", Assert.Single(body.RootElement.GetProperty("acks").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task The_user_form_on_one_node_finds_the_user_on_the_other()
    {
        var login = new Dictionary<string, string> { ["PUSHSERVER_WebMsgSender__Login"] = "true", ["PUSHSERVER_WebMsgSender__OnlineCount"] = "true" };
        var nodeA = await StartNodeAsync(login);
        var nodeB = await StartNodeAsync(login);
        var client = await ConnectClientAsync(nodeA, version: 2);
        await client.EmitAsync("login", "1001");
        await client.WaitForEventAsync("event", e => e.GetProperty("name").GetString() == "update_online_count");
        using var pushB = PushClient(nodeB);

        Assert.Equal("ok", await pushB.GetStringAsync("?type=publish&to=1001&content=across"));
        Assert.Equal("across", (await client.WaitForServerEventAsync("new_msg")).GetProperty("args")[0].GetString());
        Assert.Equal("offline", await pushB.GetStringAsync("?type=publish&to=9999&content=nobody"));
    }

    [Fact]
    public async Task Listings_on_one_node_cover_the_sockets_of_the_other()
    {
        var nodeA = await StartNodeAsync();
        var nodeB = await StartNodeAsync();
        var (client, id) = await ConnectClientAsync(new SocketIOClientConfig(nodeA.SocketIOUrl) { Version = 4 });
        using var pushB = PushClient(nodeB);

        var join = await pushB.PostAsJsonAsync("api/sockets/join", new { socketId = id, targetRooms = new[] { "vip" } });
        Assert.True(join.IsSuccessStatusCode, await join.Content.ReadAsStringAsync());
        using var sockets = JsonDocument.Parse(await pushB.GetStringAsync("api/namespaces/%2F/sockets"));

        var listed = Assert.Single(sockets.RootElement.GetProperty("sockets").EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.Contains("vip", listed.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Behind_haproxy_a_polling_client_keeps_its_session_and_receives_pushes_from_either_node()
    {
        var nodeA = await StartNodeAsync();
        var nodeB = await StartNodeAsync();
        var haproxy = await HaproxyProcess.StartAsync(nodeA.SocketIOPort, nodeB.SocketIOPort);
        Resources.AddDisposedLast(haproxy);
        // withCredentials makes the Node client keep and send the sticky cookie, as browsers do.
        var (client, _) = await ConnectClientAsync(new SocketIOClientConfig(haproxy.Url)
        {
            Version = 4,
            Transports = ["polling"],
            Options = new Dictionary<string, object?> { ["withCredentials"] = true },
        });
        using var pushA = PushClient(nodeA);
        using var pushB = PushClient(nodeB);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ok", await pushA.GetStringAsync($"?msg=from-a-{i}"));
            Assert.Equal($"from-a-{i}", (await client.WaitForServerEventAsync("chat message")).GetProperty("args")[0].GetString());
            Assert.Equal("ok", await pushB.GetStringAsync($"?msg=from-b-{i}"));
            Assert.Equal($"from-b-{i}", (await client.WaitForServerEventAsync("chat message")).GetProperty("args")[0].GetString());
        }
        Assert.DoesNotContain(client.Events, e => e.GetProperty("event").GetString() is "disconnect" or "connect_error");
    }

    [Fact]
    public async Task Stats_on_one_node_count_the_sockets_of_every_node()
    {
        var nodeA = await StartNodeAsync();
        var nodeB = await StartNodeAsync();
        var client = await ConnectClientAsync(nodeA);
        using var pushB = PushClient(nodeB);

        using var stats = JsonDocument.Parse(await pushB.GetStringAsync("api/stats"));

        Assert.Equal(0, stats.RootElement.GetProperty("connections").GetInt32());
        var cluster = stats.RootElement.GetProperty("cluster");
        Assert.Equal(2, cluster.GetProperty("nodes").GetInt32());
        Assert.True(cluster.GetProperty("reachable").GetBoolean());
        var root = cluster.GetProperty("namespaces").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "/");
        Assert.Equal(1, root.GetProperty("sockets").GetInt32());
    }

    [Fact]
    public async Task A_node_whose_redis_is_down_serves_locally_and_is_not_ready_until_redis_returns()
    {
        await Redis.StopAsync();
        var node = await ServerProcess.StartAsync(["--redis", Redis.Url]);
        Resources.AddDisposedLast(node);
        using var push = PushClient(node);
        Assert.False((await push.GetAsync("health/ready")).IsSuccessStatusCode);
        Assert.True((await push.GetAsync("health/live")).IsSuccessStatusCode);

        var client = await ConnectClientAsync(node);
        var response = await push.PostAsJsonAsync("api/emit", new { @event = "local", args = new[] { "still served" } });
        using (var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal("node-only", body.RootElement.GetProperty("reach").GetString());
        }
        Assert.Equal("still served", (await client.WaitForServerEventAsync("local")).GetProperty("args")[0].GetString());

        await Redis.StartAgainAsync();
        await WaitUntilReadyAsync(push);
    }
}
