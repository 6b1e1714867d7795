using System.Net.Http.Json;
using System.Text.Json;
using PushServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// Session routing at scale: three executables on one Redis behind haproxy round-robin without any affinity, with
/// socket.io-client 4.x and 2.x, polling-only and polling-then-WebSocket, many clients per Node process
/// (tests/node/many-clients.js). Every client connects, acks, joins a room and receives every push to it in order
/// without one "Session ID unknown"; with a node killed, its clients reconnect through haproxy to the others.
/// </summary>
public sealed class NoAffinityScaleTests(ITestOutputHelper output) : RedisResourceTests
{
    private const string Room = "scale";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private static readonly (int Version, string[] Transports)[] Kinds =
    [
        (4, ["polling"]),
        (4, ["polling", "websocket"]),
        (2, ["polling"]),
        (2, ["polling", "websocket"]),
    ];

    private int _nextCommandId;

    [Fact]
    public async Task Two_hundred_clients_connect_ack_join_receive_a_hundred_pushes_in_order_and_disconnect_without_one_unknown_session()
    {
        const int perKind = 50;
        const int pushes = 100;
        var (nodes, drivers) = await StartAsync(perKind);

        foreach (var driver in drivers)
        {
            foreach (var answer in (await RunAsync(driver, new { op = "emitAll", name = "echo", args = new[] { "round trip" } })).EnumerateArray())
            {
                Assert.Equal("round trip", answer.GetString());
            }
            await JoinRoomAsync(driver);
        }

        // All from one node, one after the other: the order a client sees is the order its node published them in.
        using var push = PushClient(nodes[1]);
        for (var i = 0; i < pushes; i++)
        {
            await PushAsync(push, i, Room);
        }
        var expected = Enumerable.Range(0, pushes).ToList();
        var tags = new HashSet<string>();
        foreach (var driver in drivers)
        {
            await RunAsync(driver, new { op = "whenAllReceived", value = pushes - 1 });
            foreach (var received in (await RunAsync(driver, new { op = "received" })).EnumerateArray())
            {
                Assert.Equal(expected, received.EnumerateArray().Select(v => v.GetInt32()));
            }
            foreach (var history in (await RunAsync(driver, new { op = "history" })).EnumerateArray())
            {
                // One session from start to end: no connect_error, no reconnection, no transport error on the way.
                Assert.Equal("[]", history.GetProperty("errors").GetRawText());
                Assert.Equal("[]", history.GetProperty("disconnects").GetRawText());
                var sid = Assert.Single(history.GetProperty("sids").EnumerateArray()).GetString()!;
                tags.Add(sid[(sid.LastIndexOf('.') + 1)..]);
            }
            foreach (var reason in (await RunAsync(driver, new { op = "disconnectAll" })).EnumerateArray())
            {
                Assert.Equal("io client disconnect", reason.GetString());
            }
        }
        // Round-robin spread the sessions over every node, so most requests were relayed to their owner.
        Assert.Equal(nodes.Length, tags.Count);

        foreach (var node in nodes)
        {
            using var metrics = PushClient(node);
            Assert.Equal(0, await MetricsText.ReadAsync(metrics, "pushserver_unknown_session_refusals_total"));
            await AwaitNoSocketsAsync(metrics);
        }
    }

    [Fact]
    public async Task A_killed_node_s_clients_reconnect_through_haproxy_to_the_others_and_get_later_pushes()
    {
        const int perKind = 10;
        const int before = 10;
        const int after = 20;
        var (nodes, drivers) = await StartAsync(perKind);
        using var push = PushClient(nodes[1]);
        for (var i = 0; i < before; i++)
        {
            await PushAsync(push, i);
        }
        foreach (var driver in drivers)
        {
            await RunAsync(driver, new { op = "whenAllReceived", value = before - 1 });
        }

        var deadTag = await RoutedNodes.TagOfAsync(Redis, nodes[0]);
        await nodes[0].DisposeAsync();
        foreach (var driver in drivers)
        {
            await RunAsync(driver, new { op = "whenAllConnected", avoidingTag = deadTag });
        }
        for (var i = before; i < before + after; i++)
        {
            await PushAsync(push, i);
        }

        var all = Enumerable.Range(0, before + after).ToList();
        var later = Enumerable.Range(before, after).ToList();
        int deadOwned = 0, liveOwned = 0, liveOwnedDisconnected = 0;
        foreach (var driver in drivers)
        {
            await RunAsync(driver, new { op = "whenAllReceived", value = before + after - 1 });
            var received = (await RunAsync(driver, new { op = "received" })).EnumerateArray().ToList();
            var histories = (await RunAsync(driver, new { op = "history" })).EnumerateArray().ToList();
            for (var c = 0; c < histories.Count; c++)
            {
                var pushesSeen = received[c].EnumerateArray().Select(v => v.GetInt32()).ToList();
                var sids = histories[c].GetProperty("sids").EnumerateArray().Select(s => s.GetString()!).ToList();
                var disconnects = histories[c].GetProperty("disconnects").GetArrayLength();
                // In order and never twice, whatever happened.
                Assert.True(pushesSeen.Zip(pushesSeen.Skip(1)).All(p => p.First < p.Second), "out of order or repeated: " + string.Join(",", pushesSeen));
                Assert.DoesNotContain(deadTag, sids[^1]);
                if (sids[0].EndsWith("." + deadTag, StringComparison.Ordinal))
                {
                    deadOwned++;
                    Assert.True(disconnects > 0);
                    Assert.Equal(later, pushesSeen.Where(p => p >= before));
                }
                else if (disconnects == 0)
                {
                    liveOwned++;
                    Assert.Equal(all, pushesSeen);
                }
                else
                {
                    // A session of a live node whose poll or WebSocket the dead node was relaying at that moment: the
                    // owner saw its client go away, as with any broken connection, and the client reconnected.
                    liveOwned++;
                    liveOwnedDisconnected++;
                    Assert.Equal(later, pushesSeen.Where(p => p >= before));
                }
            }
        }
        output.WriteLine($"dead node's clients: {deadOwned}; live nodes' clients: {liveOwned}, of which {liveOwnedDisconnected} were being relayed by the dead node and reconnected");
        Assert.True(deadOwned > 0, "no client was on the killed node");
        Assert.True(liveOwned > liveOwnedDisconnected, "every client of the live nodes lost its session");
    }

    private async Task<(ServerProcess[] Nodes, NodeClient[] Drivers)> StartAsync(int perKind)
    {
        var nodes = await RoutedNodes.StartAsync(Redis, Resources, 3, new Dictionary<string, string>
        {
            ["PUSHSERVER_Rooms__Allowed__0"] = Room,
        });
        var haproxy = Resources.Add(await HaproxyProcess.StartWithoutAffinityAsync([.. nodes.Select(n => n.SocketIOPort)]));
        var drivers = new NodeClient[Kinds.Length];
        for (var k = 0; k < Kinds.Length; k++)
        {
            drivers[k] = Resources.Add(await NodeClient.StartAsync("many-clients.js",
                new { url = haproxy.Url, count = perKind, version = Kinds[k].Version, transports = Kinds[k].Transports }));
            await RunAsync(drivers[k], new { op = "whenAllConnected" });
        }
        return (nodes, drivers);
    }

    private async Task JoinRoomAsync(NodeClient driver)
    {
        foreach (var answer in (await RunAsync(driver, new { op = "emitAll", name = "join", args = new[] { Room } })).EnumerateArray())
        {
            Assert.True(answer.GetProperty("ok").GetBoolean(), answer.GetRawText());
        }
    }

    /// <summary>Sends a command with a fresh id to a many-clients driver and returns its result.</summary>
    private async Task<JsonElement> RunAsync(NodeClient driver, object command)
    {
        var id = Interlocked.Increment(ref _nextCommandId);
        var withId = JsonSerializer.SerializeToElement(command).EnumerateObject()
            .ToDictionary(p => p.Name, p => (object)p.Value);
        withId["id"] = id;
        await driver.SendAsync(withId);
        var done = await driver.WaitForEventAsync("done", e => e.GetProperty("id").GetInt32() == id, Generous);
        return done.GetProperty("result");
    }

    private static HttpClient PushClient(ServerProcess node) => new() { BaseAddress = node.PushUri, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task PushAsync(HttpClient push, int seq, string? room = null)
    {
        using var response = await push.PostAsJsonAsync("api/emit", room is null
            ? new { @event = "push", args = new object[] { seq }, rooms = Array.Empty<string>() }
            : new { @event = "push", args = new object[] { seq }, rooms = new[] { room } });
        response.EnsureSuccessStatusCode();
    }

    private static async Task AwaitNoSocketsAsync(HttpClient push)
    {
        // The last disconnect packets travel through the relays after the clients returned: read until they landed.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await MetricsText.ReadAsync(push, "pushserver_sockets{namespace=\"/\"}") != 0)
        {
            await Task.Delay(100, cts.Token);
        }
    }
}
