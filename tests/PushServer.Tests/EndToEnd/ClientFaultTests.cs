using System.Diagnostics;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// The executable with a one-second heartbeat, and socket.io-client processes that are killed (SIGKILL) or hang
/// (SIGSTOP) without closing, over WebSocket and long-polling: the server drops exactly those clients and its
/// connection, socket and room counts return to what they were, while a live client keeps being served.
/// </summary>
public sealed class ClientFaultTests : ResourceTests
{
    private readonly List<NodeClient> _stopped = [];

    public override async Task DisposeAsync()
    {
        foreach (var client in _stopped)
        {
            // A stopped process must run again to take its kill.
            client.Signal("CONT", ignoreFailure: true);
        }
        await base.DisposeAsync();
    }

    private async Task<NodeClient> ConnectAndJoinAsync(ServerProcess server, string transport, string room)
    {
        var (client, _) = await ConnectClientAsync(new SocketIOClientConfig(server.SocketIOUrl)
        {
            Transports = [transport],
            Reconnection = false,
        });
        var ack = await client.EmitWithAckAsync("join", room);
        Assert.True(ack[0].GetProperty("ok").GetBoolean());
        return client;
    }

    private static async Task<(int Connections, int Sockets, int Rooms)> CountsAsync(HttpClient push)
    {
        var stats = await push.GetFromJsonAsync<JsonElement>("api/stats");
        var root = stats.GetProperty("namespaces").EnumerateArray().SingleOrDefault(n => n.GetProperty("name").GetString() == "/");
        return root.ValueKind == JsonValueKind.Undefined
            ? (stats.GetProperty("connections").GetInt32(), 0, 0)
            : (stats.GetProperty("connections").GetInt32(), root.GetProperty("sockets").GetInt32(), root.GetProperty("rooms").GetInt32());
    }

    private static async Task AwaitCountsAsync(HttpClient push, (int, int, int) expected, TimeSpan timeout)
    {
        // The server runs on real time here: the counts are read until they match, within a generous bound.
        var clock = Stopwatch.StartNew();
        var counts = await CountsAsync(push);
        while (counts != expected && clock.Elapsed < timeout)
        {
            await Task.Delay(100);
            counts = await CountsAsync(push);
        }
        Assert.Equal(expected, counts);
    }

    [Fact]
    public async Task Killed_and_hung_clients_on_both_transports_are_dropped_and_the_counts_return_to_baseline()
    {
        var server = await ServerProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["PUSHSERVER_EngineIO__PingInterval"] = "1000",
            ["PUSHSERVER_EngineIO__PingTimeout"] = "1000",
            ["PUSHSERVER_Rooms__Allowed__0"] = "fault-*",
        });
        Resources.AddDisposedLast(server);
        using var push = new HttpClient { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(30) };
        var baseline = await CountsAsync(push);

        var survivor = await ConnectAndJoinAsync(server, "websocket", "fault-live");
        var killedWebSocket = await ConnectAndJoinAsync(server, "websocket", "fault-1");
        var killedPolling = await ConnectAndJoinAsync(server, "polling", "fault-2");
        var hungWebSocket = await ConnectAndJoinAsync(server, "websocket", "fault-3");
        var hungPolling = await ConnectAndJoinAsync(server, "polling", "fault-4");
        await AwaitCountsAsync(push, (baseline.Connections + 5, baseline.Sockets + 5, baseline.Rooms + 5), TimeSpan.FromSeconds(30));

        killedWebSocket.Signal("KILL");
        killedPolling.Signal("KILL");
        _stopped.AddRange([hungWebSocket, hungPolling]);
        hungWebSocket.Signal("STOP");
        hungPolling.Signal("STOP");

        // Heartbeat 1 s + 1 s: even on a busy machine every offender is gone well within this bound.
        await AwaitCountsAsync(push, (baseline.Connections + 1, baseline.Sockets + 1, baseline.Rooms + 1), TimeSpan.FromSeconds(60));
        Assert.Equal("ok", await push.GetStringAsync("?msg=after%20the%20faults"));
        var received = await survivor.WaitForEventAsync("event", e => e.GetProperty("args")[0].GetString() == "after the faults");
        Assert.Equal("chat message", received.GetProperty("name").GetString());
    }
}
