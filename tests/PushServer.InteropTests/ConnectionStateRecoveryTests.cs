using PushServer.SocketIO;
using PushServer.Testing;

namespace PushServer.InteropTests;

/// <summary>
/// Connection state recovery with the real socket.io-client 4.x: the client loses its transport, events are sent
/// meanwhile, and on reconnecting it gets its socket id, rooms and every missed event back, in order, once.
/// </summary>
public class ConnectionStateRecoveryTests
{
    private static Task<InteropServer> StartAsync() =>
        InteropServer.StartAsync(o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions());

    private static SocketIOClientConfig Config(InteropServer server, string transport) =>
        new(server.Url) { Transports = [transport], ForceNew = true };

    private static string[] RoomMessages(NodeClient client) =>
        client.Events
            .Where(e => e.GetProperty("event").GetString() == "event" && e.GetProperty("name").GetString() == "room-message")
            .Select(e => e.GetProperty("args")[0].GetString()!)
            .ToArray();

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task A_client_that_lost_its_transport_recovers_its_id_rooms_and_missed_events(string transport)
    {
        await using var server = await StartAsync();
        await using var receiver = await NodeClient.StartSocketIOAsync(Config(server, transport));
        var first = await receiver.WaitForEventAsync("connect");
        Assert.False(first.GetProperty("recovered").GetBoolean());
        var socketId = first.GetProperty("id").GetString()!;
        Assert.Equal(["joined"], (await receiver.EmitWithAckAsync("join", "news")).EnumerateArray().Select(a => a.GetString()));

        await using var sender = await NodeClient.StartSocketIOAsync(Config(server, "websocket"));
        await sender.WaitForEventAsync("connect");

        await sender.EmitAsync("to-room", "news", "m1");
        var m1 = await receiver.WaitForServerEventAsync("room-message");
        // The offset travels as the last argument of a stored event.
        Assert.Equal(2, m1.GetProperty("args").GetArrayLength());

        var gone = server.WaitForDisconnectAsync(socketId);
        await receiver.DropTransportAsync();
        await receiver.WaitForEventAsync("disconnect");
        Assert.Equal("transport close", await gone.DefaultTimeout());

        await sender.EmitAsync("to-room", "news", "m2");
        await sender.EmitAsync("to-room", "other", "not for the receiver");
        await sender.EmitAsync("to-room", "news", "m3");
        // The sender's ack comes after the three events were handled, so they were all sent while the receiver was away.
        await sender.EmitWithAckAsync("echo", "sync");

        await receiver.ConnectAsync();
        var second = await receiver.WaitForEventAsync("connect", e => e.GetProperty("recovered").GetBoolean());
        Assert.Equal(socketId, second.GetProperty("id").GetString());

        // Still in the room: a new event arrives live, after the replayed ones.
        await sender.EmitAsync("to-room", "news", "m4");
        await receiver.WaitForEventAsync("event", e => e.GetProperty("name").GetString() == "room-message" && e.GetProperty("args")[0].GetString() == "m4");
        Assert.Equal(["m1", "m2", "m3", "m4"], RoomMessages(receiver));
    }

    [Fact]
    public async Task A_client_that_left_on_purpose_comes_back_as_a_new_socket()
    {
        await using var server = await StartAsync();
        await using var client = await NodeClient.StartSocketIOAsync(Config(server, "websocket"));
        var socketId = (await client.WaitForEventAsync("connect")).GetProperty("id").GetString()!;
        await client.EmitAsync("message", "x");
        await client.WaitForServerEventAsync("message-back");

        var gone = server.WaitForDisconnectAsync(socketId);
        await client.DisconnectAsync();
        Assert.Equal("client namespace disconnect", await gone.DefaultTimeout());
        await client.ConnectAsync();
        var second = await client.WaitForEventAsync("connect", e => e.GetProperty("id").GetString() != socketId);
        Assert.False(second.GetProperty("recovered").GetBoolean());
    }

    [Fact]
    public async Task Without_recovery_the_connect_reply_has_no_pid_and_events_no_offset()
    {
        await using var server = await InteropServer.StartAsync();
        await using var client = await NodeClient.StartSocketIOAsync(Config(server, "websocket"));
        var connect = await client.WaitForEventAsync("connect");
        Assert.False(connect.TryGetProperty("recovered", out var recovered) && recovered.GetBoolean());
        await client.EmitAsync("message", "x");
        var back = await client.WaitForServerEventAsync("message-back");
        Assert.Equal(1, back.GetProperty("args").GetArrayLength());
    }

    [Fact]
    public async Task Polling_clients_closed_by_the_server_while_events_flow_get_every_event_once_and_in_order()
    {
        const int clientCount = 20;
        const int pushes = 400;
        await using var server = await StartAsync();
        await using var clients = await NodeClient.StartAsync(
            "many-clients.js", new { url = server.Url, count = clientCount, transports = new[] { "polling" } });
        await clients.WaitForEventAsync("allConnected", timeout: TimeSpan.FromSeconds(60));
        // A client can only recover once it holds an offset, i.e. once it received a stored event.
        server.Io.Emit("push", 0);
        await RunAsync(clients, "whenAllReceived", 0);

        for (var seq = 1; seq <= pushes; seq++)
        {
            server.Io.Emit("push", seq);
            if (seq % 100 == 50)
            {
                // Events are waiting in the sessions' queues: the close must not share their poll response, or the
                // client handles them after its disconnect and gets them replayed again on recovery.
                server.Engine.CloseAll();
            }
            // Paced, so the pushes spread over the clients' polls and reconnections instead of one burst.
            await Task.Delay(2);
        }
        await RunAsync(clients, "whenAllReceived", pushes);

        var reconnected = await RunAsync(clients, "whenAllConnected");
        Assert.True(reconnected.GetProperty("disconnects").GetInt32() >= clientCount);
        Assert.Equal(0, reconnected.GetProperty("fresh").GetInt32());
        var expected = Enumerable.Range(0, pushes + 1).ToArray();
        foreach (var received in (await RunAsync(clients, "received")).EnumerateArray())
        {
            Assert.Equal(expected, received.EnumerateArray().Select(v => v.GetInt32()).ToArray());
        }
    }

    private static int s_commandId;

    private static async Task<System.Text.Json.JsonElement> RunAsync(NodeClient driver, string op, object? value = null)
    {
        var id = Interlocked.Increment(ref s_commandId);
        await driver.SendAsync(new { op, id, value });
        var done = await driver.WaitForEventAsync("done", e => e.GetProperty("id").GetInt32() == id, TimeSpan.FromSeconds(60));
        return done.GetProperty("result");
    }
}
