using System.Text.Json;
using PushServer.Testing;

namespace PushServer.InteropTests;

/// <summary>
/// The real <c>socket.io-client</c> from npm, 4.x (Engine.IO v4, Socket.IO v5) and 2.x (Engine.IO v3,
/// Socket.IO v4), over WebSocket only, polling only, and polling upgraded to WebSocket.
/// </summary>
public class SocketIONodeClientTests
{
    public static TheoryData<int, string> Variants => new()
    {
        { 4, "websocket" }, { 4, "polling" }, { 4, "upgrade" },
        { 2, "websocket" }, { 2, "polling" }, { 2, "upgrade" },
    };

    private static SocketIOClientConfig Config(InteropServer server, int version, string mode, string? nsp = null, object? auth = null) =>
        new(server.Url)
        {
            Version = version,
            Transports = mode switch
            {
                "websocket" => ["websocket"],
                "polling" => ["polling"],
                _ => ["polling", "websocket"],
            },
            Namespace = nsp,
            Auth = auth,
            ForceNew = true,
        };

    private static async Task<NodeClient> ConnectAsync(InteropServer server, int version, string mode, string? nsp = null, object? auth = null)
    {
        var client = await NodeClient.StartSocketIOAsync(Config(server, version, mode, nsp, auth));
        await client.WaitForEventAsync("connect");
        if (mode == "upgrade")
        {
            Assert.Equal("websocket", (await client.WaitForEventAsync("upgrade")).GetProperty("transport").GetString());
        }
        return client;
    }

    private static string[] Strings(JsonElement args) => args.EnumerateArray().Select(a => a.GetString()!).ToArray();

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Events_and_acks_travel_both_ways(int version, string mode)
    {
        await using var server = await InteropServer.StartAsync();
        await using var client = await ConnectAsync(server, version, mode);

        Assert.Equal(["ping", "pong"], Strings(await client.EmitWithAckAsync("echo", "ping", "pong")));

        await client.EmitAsync("message", "hello", "world");
        Assert.Equal(["hello", "world"], Strings((await client.WaitForServerEventAsync("message-back")).GetProperty("args")));

        await client.EmitAsync("ask", "life");
        var question = await client.WaitForServerEventAsync("question");
        Assert.Equal(["life"], Strings(question.GetProperty("args")));
        await client.AckAsync(question.GetProperty("ackId").GetInt32(), "forty-two");
        Assert.Equal(["forty-two"], Strings((await client.WaitForServerEventAsync("answer")).GetProperty("args")));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task An_ack_the_server_never_sends_times_out_on_the_client(int version, string mode)
    {
        await using var server = await InteropServer.StartAsync();
        await using var client = await ConnectAsync(server, version, mode);

        var outcome = await client.EmitWithAckTimeoutAsync("nobody-listens", TimeSpan.FromMilliseconds(300), "x");

        Assert.Equal("ackTimeout", outcome.GetProperty("event").GetString());
        Assert.Equal(["y"], Strings(await client.EmitWithAckAsync("echo", "y")));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task An_ack_the_client_never_sends_times_out_on_the_server(int version, string mode)
    {
        await using var server = await InteropServer.StartAsync();
        await using var client = await ConnectAsync(server, version, mode);

        await client.EmitAsync("ask", "anyone?", 300);

        Assert.Equal(["anyone?"], Strings((await client.WaitForServerEventAsync("question")).GetProperty("args")));
        await client.WaitForServerEventAsync("answer-timeout");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Binary_travels_both_ways_at_any_depth(int version, string mode)
    {
        await using var server = await InteropServer.StartAsync();
        await using var client = await ConnectAsync(server, version, mode);

        var args = await client.EmitWithAckAsync("echo", new byte[] { 1, 2, 3 }, new { nested = new byte[] { 255, 0 } });

        Assert.Equal(new byte[] { 1, 2, 3 }, NodeClient.GetBinary(args[0]));
        Assert.Equal(new byte[] { 255, 0 }, NodeClient.GetBinary(args[1].GetProperty("nested")));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Room_broadcasts_reach_members_only(int version, string mode)
    {
        await using var server = await InteropServer.StartAsync();
        await using var member = await ConnectAsync(server, version, mode);
        await using var outsider = await ConnectAsync(server, version, mode);
        Assert.Equal(["joined"], Strings(await member.EmitWithAckAsync("join", "news")));

        await outsider.EmitAsync("to-room", "news", "extra!");

        Assert.Equal(["extra!"], Strings((await member.WaitForServerEventAsync("room-message")).GetProperty("args")));
        // An echo round trip after the broadcast proves the outsider would have seen it by now.
        await outsider.EmitWithAckAsync("echo", "sync");
        Assert.DoesNotContain(outsider.Events, e => e.GetProperty("event").GetString() == "event" && e.GetProperty("name").GetString() == "room-message");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_second_namespace_with_auth_connects(int version, string mode)
    {
        await using var server = await InteropServer.StartAsync();
        await using var client = await ConnectAsync(server, version, mode, "/admin", new { token = "secret" });

        Assert.Equal(["admin"], Strings((await client.WaitForServerEventAsync("welcome")).GetProperty("args")));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Middleware_rejection_is_seen_by_the_client(int version, string mode)
    {
        await using var server = await InteropServer.StartAsync();
        await using var client = await NodeClient.StartSocketIOAsync(Config(server, version, mode, "/admin", new { token = "wrong" }));

        var error = await client.WaitForEventAsync("connect_error");

        if (version == 4)
        {
            Assert.Equal("Not authorized", error.GetProperty("message").GetString());
        }
        // 2.x gets the error's data (the reference sends err.data to EIO=3 clients when there is some).
        Assert.Equal("no token", error.GetProperty("data").GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_client_disconnected_by_the_server_reconnects(int version, string mode)
    {
        await using var server = await InteropServer.StartAsync();
        await using var client = await ConnectAsync(server, version, mode);

        await client.EmitAsync("kick");
        Assert.Equal("io server disconnect", (await client.WaitForEventAsync("disconnect")).GetProperty("reason").GetString());

        await client.ConnectAsync();
        await client.WaitForEventAsync("connect");
        Assert.Equal(["back"], Strings(await client.EmitWithAckAsync("echo", "back")));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_client_whose_connection_the_server_closes_hears_io_server_disconnect_and_stays_off(int version, string mode)
    {
        await using var server = await InteropServer.StartAsync();
        await using var client = await NodeClient.StartSocketIOAsync(Config(server, version, mode) with { Reconnection = true });
        var id = (await client.WaitForEventAsync("connect")).GetProperty("id").GetString()!;
        if (mode == "upgrade")
        {
            await client.WaitForEventAsync("upgrade");
        }
        var gone = server.WaitForDisconnectAsync(id);

        await client.EmitAsync("kick-close");

        // socket.io's disconnect(true): DISCONNECT for the namespace first, then the connection closes; the client
        // takes it as the server's will and does not reconnect (a "transport close" would make it come back).
        var disconnect = await client.WaitForEventAsync("disconnect");
        Assert.Equal("io server disconnect", disconnect.GetProperty("reason").GetString());
        if (version == 4)
        {
            Assert.False(disconnect.GetProperty("active").GetBoolean());
        }
        Assert.Equal("server namespace disconnect", await gone.DefaultTimeout());
        Assert.DoesNotContain(client.Events, e => e.GetProperty("event").GetString() == "reconnect_attempt");
    }
}
