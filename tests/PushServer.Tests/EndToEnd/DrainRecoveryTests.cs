using System.Net.Http.Json;
using System.Text.Json;
using PushServer.Tests.Infrastructure;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// A SIGTERM drain under load: two executables with the Redis Streams adapter and connection state recovery behind
/// haproxy, hundreds of real socket.io-client clients (one Node process) on WebSocket or on long-polling, pushes going
/// on while one node drains. Every push the push API acknowledged reaches every client exactly once and in order,
/// those of the drained node after they reconnected to the other one.
/// </summary>
public sealed class DrainRecoveryTests : RedisEndToEndTest
{
    // Pushes are sent one after the other until the drained node has exited and a few more after that; the cap keeps
    // the run short whatever the machine's speed.
    private const int MaxPushes = 200;
    private const int PushesAfterExit = 10;

    private int _nextCommandId;

    private async Task<ServerProcess> StartNodeAsync()
    {
        var server = await ServerProcess.StartAsync(["--redis", Redis.Url], new Dictionary<string, string>
        {
            ["PUSHSERVER_Redis__Adapter"] = "streams",
            ["PUSHSERVER_SocketIO__ConnectionStateRecovery__Enabled"] = "true",
        });
        Resources.Add(server);
        using var http = new HttpClient { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(30) };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!(await http.GetAsync("health/ready", cts.Token)).IsSuccessStatusCode)
        {
            await Task.Delay(50, cts.Token);
        }
        return server;
    }

    private async Task<JsonElement> RunAsync(NodeClient driver, string op, object? value = null)
    {
        var id = Interlocked.Increment(ref _nextCommandId);
        await driver.SendAsync(new { op, id, value });
        var done = await driver.WaitForEventAsync("done", e => e.GetProperty("id").GetInt32() == id, TimeSpan.FromSeconds(45));
        return done.GetProperty("result");
    }

    /// <summary>Sends push <paramref name="seq"/>; true when the push API acknowledged it (2xx).</summary>
    private static async Task<bool> PushAsync(HttpClient http, int seq)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("api/emit", new { @event = "push", args = new[] { seq } });
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // The drained node stopped listening: not acknowledged.
            return false;
        }
    }

    [Theory]
    [InlineData("websocket", 500)]
    [InlineData("polling", 100)]
    public async Task A_SIGTERM_drain_loses_no_acknowledged_push_for_recovering_clients(string transport, int clientCount)
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var haproxy = await HaproxyProcess.StartAsync(a.SocketIOPort, b.SocketIOPort);
        Resources.Add(haproxy);
        var clients = await NodeClient.StartAsync("many-clients.js", new { url = haproxy.Url, count = clientCount, transports = new[] { transport } });
        Resources.Add(clients);
        await clients.WaitForEventAsync("allConnected", timeout: TimeSpan.FromSeconds(60));
        using var pushA = new HttpClient { BaseAddress = a.PushUri, Timeout = TimeSpan.FromSeconds(10) };
        using var pushB = new HttpClient { BaseAddress = b.PushUri, Timeout = TimeSpan.FromSeconds(10) };

        // A client can only recover once it holds an offset, i.e. once it received a stored event.
        var acknowledged = new List<int>();
        Assert.True(await PushAsync(pushB, 0));
        acknowledged.Add(0);
        await RunAsync(clients, "whenAllReceived", 0);

        a.Terminate();
        var exited = a.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var seq = 0;
        var afterExit = 0;
        while (seq < MaxPushes && afterExit < PushesAfterExit)
        {
            seq++;
            if (exited.IsCompleted)
            {
                afterExit++;
            }
            // Alternately to the draining node (which refuses with 503 once it drains, so those are not acknowledged)
            // and to the other one.
            if (await PushAsync(seq % 2 == 0 ? pushA : pushB, seq))
            {
                acknowledged.Add(seq);
            }
        }
        Assert.Equal(0, await exited);

        var reconnected = await RunAsync(clients, "whenAllConnected");
        seq++;
        Assert.True(await PushAsync(pushB, seq));
        acknowledged.Add(seq);
        await RunAsync(clients, "whenAllReceived", seq);

        var disconnects = reconnected.GetProperty("disconnects").GetInt32();
        Assert.True(disconnects > 0, "no client was on the drained node");
        Assert.Equal(disconnects, reconnected.GetProperty("recovered").GetInt32());
        Assert.Equal(0, reconnected.GetProperty("fresh").GetInt32());
        var received = await RunAsync(clients, "received");
        Assert.Equal(clientCount, received.GetArrayLength());
        foreach (var pushes in received.EnumerateArray())
        {
            var values = pushes.EnumerateArray().Select(v => v.GetInt32()).ToList();
            // In order and at most once: strictly increasing; every acknowledged push among them.
            Assert.True(values.Zip(values.Skip(1)).All(p => p.First < p.Second), "out of order or repeated: " + string.Join(",", values));
            var missing = acknowledged.Except(values).ToList();
            Assert.True(missing.Count == 0, "missing acknowledged pushes: " + string.Join(",", missing));
        }
    }
}
