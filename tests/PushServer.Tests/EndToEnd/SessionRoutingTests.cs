using System.Net.WebSockets;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// Nodes on one Redis serve each other's sessions (Cluster:RouteForeignSessions): a session made on node A is polled,
/// posted to and upgraded on node B, as a load balancer without affinity would send it.
/// </summary>
public sealed class SessionRoutingTests : RedisResourceTests
{
    private Task<ServerProcess[]> StartNodesAsync(int count, IReadOnlyDictionary<string, string>? environment = null) =>
        RoutedNodes.StartAsync(Redis, Resources, count, environment);

    private static HttpClient PushClient(ServerProcess node) => new() { BaseAddress = node.PushUri, Timeout = TimeSpan.FromSeconds(30) };

    private static HttpClient EngineClient(ServerProcess node) => new() { BaseAddress = new Uri(node.SocketIOUrl), Timeout = TimeSpan.FromSeconds(60) };

    private static string Poll(string sid) => $"/socket.io/?EIO=4&transport=polling&sid={Uri.EscapeDataString(sid)}";

    private static async Task<string> HandshakeAsync(ServerProcess node)
    {
        using var http = EngineClient(node);
        var open = await http.GetStringAsync("/socket.io/?EIO=4&transport=polling");
        using var json = JsonDocument.Parse(open[1..]);
        return json.RootElement.GetProperty("sid").GetString()!;
    }

    [Fact]
    public async Task Polls_and_posts_for_a_session_of_another_node_are_served_by_its_owner()
    {
        var nodes = await StartNodesAsync(2);
        var sid = await HandshakeAsync(nodes[0]);
        Assert.Contains('.', sid);
        using var b = EngineClient(nodes[1]);

        var posted = await b.PostAsync(Poll(sid), new StringContent("40"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("ok", await posted.Content.ReadAsStringAsync());
        Assert.StartsWith("40{\"sid\":", await b.GetStringAsync(Poll(sid)));

        var poll = b.GetStringAsync(Poll(sid));
        using var pushA = PushClient(nodes[0]);
        Assert.Equal("ok", await pushA.GetStringAsync("?msg=through-b"));
        Assert.Equal("42[\"chat message\",\"through-b\"]", await poll.DefaultTimeout());
    }

    [Fact]
    public async Task A_websocket_upgrade_on_another_node_is_relayed_to_the_owner_for_the_connection_s_life()
    {
        var nodes = await StartNodesAsync(2);
        var sid = await HandshakeAsync(nodes[0]);
        using (var a = EngineClient(nodes[0]))
        {
            await a.PostAsync(Poll(sid), new StringContent("40"));
            Assert.StartsWith("40{", await a.GetStringAsync(Poll(sid)));
        }

        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{nodes[1].SocketIOPort}/socket.io/?EIO=4&transport=websocket&sid={Uri.EscapeDataString(sid)}"), CancellationToken.None);
        await SendAsync(ws, "2probe");
        Assert.Equal("3probe", await ReceiveAsync(ws));
        await SendAsync(ws, "5");

        using var pushA = PushClient(nodes[0]);
        Assert.Equal("ok", await pushA.GetStringAsync("?msg=over-the-relay"));
        string message;
        do
        {
            message = await ReceiveAsync(ws);
        }
        while (message is "2" or "6");
        Assert.Equal("42[\"chat message\",\"over-the-relay\"]", message);

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_sid_no_live_node_holds_is_refused_as_unknown()
    {
        var nodes = await StartNodesAsync(2);
        var sid = await HandshakeAsync(nodes[0]);
        using var b = EngineClient(nodes[1]);

        // A tag no node published: refused, never relayed anywhere.
        await AssertUnknownAsync(await b.GetAsync(Poll("AAAAAAAAAAAAAAAAAAAA.zzzzzzzz")));
        // A Node socket.io sid (no tag): as before.
        await AssertUnknownAsync(await b.GetAsync(Poll("AAAAAAAAAAAAAAAAAAAA")));

        // The owner gone (killed, so it could not withdraw its entry): its sessions are unknown, the client reconnects.
        await nodes[0].DisposeAsync();
        await AssertUnknownAsync(await b.GetAsync(Poll(sid)));

        // Operators see each refusal counted.
        using var push = PushClient(nodes[1]);
        Assert.Equal(3, await MetricsText.ReadAsync(push, "pushserver_unknown_session_refusals_total"));
    }

    [Fact]
    public async Task With_routing_off_another_node_s_session_is_unknown_as_in_socket_io()
    {
        var nodes = await StartNodesAsync(2, new Dictionary<string, string> { ["PUSHSERVER_Cluster__RouteForeignSessions"] = "false" });
        var sid = await HandshakeAsync(nodes[0]);
        Assert.DoesNotContain('.', sid);
        using var b = EngineClient(nodes[1]);

        await AssertUnknownAsync(await b.GetAsync(Poll(sid)));
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(4, false)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    public async Task Behind_haproxy_without_affinity_socket_io_clients_connect_ack_and_receive_every_push_in_order(int version, bool pollingOnly)
    {
        var nodes = await StartNodesAsync(3);
        var haproxy = await HaproxyProcess.StartWithoutAffinityAsync([.. nodes.Select(n => n.SocketIOPort)]);
        Resources.AddDisposedLast(haproxy);
        var config = new SocketIOClientConfig(haproxy.Url) { Version = version };
        if (pollingOnly)
        {
            config = config with { Transports = ["polling"] };
        }
        var (client, _) = await ConnectClientAsync(config);

        // The default configuration answers "echo" with an ack (Relay:Rules).
        var echoed = await client.EmitWithAckAsync("echo", "round trip");
        Assert.Contains("round trip", echoed.GetRawText());
        using var push = PushClient(nodes[1]);
        const int pushes = 20;
        for (var i = 0; i < pushes; i++)
        {
            Assert.Equal("ok", await push.GetStringAsync($"?msg=n{i}"));
        }
        await client.WaitForEventAsync("event", e => e.GetProperty("name").ValueEquals("chat message") && e.GetProperty("args")[0].ValueEquals($"n{pushes - 1}"));
        var messages = client.Events
            .Where(e => e.GetProperty("event").ValueEquals("event") && e.GetProperty("name").ValueEquals("chat message"))
            .Select(e => e.GetProperty("args")[0].GetString());
        Assert.Equal(Enumerable.Range(0, pushes).Select(i => $"n{i}"), messages);
        Assert.DoesNotContain(client.Events, e => e.GetProperty("event").GetString() is "disconnect" or "connect_error");
    }

    private static async Task AssertUnknownAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, body.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("Session ID unknown", body.RootElement.GetProperty("message").GetString());
    }

    private static Task SendAsync(ClientWebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    private static async Task<string> ReceiveAsync(ClientWebSocket ws)
    {
        var buffer = new byte[64 * 1024];
        var result = await ws.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
