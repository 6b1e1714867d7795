using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace PushServer.SocketIO.Tests.Wire;

/// <summary>Literal frames over a real Kestrel, through AddSocketIO and MapSocketIO.</summary>
public sealed class WebSocketWireTests : IAsyncLifetime
{
    private KestrelTestServer _server = null!;
    private readonly TaskCompletionSource<string> _disconnectReason = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        _server = await KestrelTestServer.StartAsync(
            services => services.AddSocketIO(o => o.ConnectTimeout = TimeSpan.FromSeconds(30)),
            app => app.MapSocketIO("/socket.io", io =>
            {
                io.OnConnection(socket =>
                {
                    socket.On("x", e => e.Ack("got " + e.Args.GetString(0)));
                    socket.On("want-bytes", e => e.Socket.Emit("bytes", new byte[] { 1, 2, 3 }));
                    socket.On("upload", e => e.Ack(e.Args.GetBytes(0).Length));
                    socket.On("ask", async e =>
                    {
                        var answer = await e.Socket.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("question", ["q?"]);
                        e.Socket.Emit("answer-was", answer[0]);
                    });
                    socket.OnDisconnect(r => _disconnectReason.TrySetResult(r));
                });
                io.Of("/private").Use((s, ct) => throw new ConnectErrorException("Not authorized", new { reason = "no token" }));
            }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(WireClient Client, string Sid)> OpenAsync(int eio = 4)
    {
        var client = await WireClient.ConnectAsync(_server.WebSocketUri($"socket.io/?EIO={eio}&transport=websocket"));
        var open = await client.ReceiveAsync();
        Assert.StartsWith("0{\"sid\":\"", open);
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
        return (client, sid);
    }

    private async Task<(WireClient Client, string SocketId)> ConnectAsync()
    {
        var (client, _) = await OpenAsync();
        await client.SendTextAsync("40");
        var reply = await client.ReceiveAsync();
        Assert.Matches("^40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"\\}$", reply);
        return (client, JsonDocument.Parse(reply[2..]).RootElement.GetProperty("sid").GetString()!);
    }

    [Fact]
    public async Task Open_then_connect_replies_with_a_socket_id_distinct_from_the_engine_sid()
    {
        var (client, sid) = await OpenAsync();
        await using var _ = client;

        await client.SendTextAsync("40");
        var reply = await client.ReceiveAsync();

        Assert.Matches("^40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"\\}$", reply);
        Assert.DoesNotContain(sid, reply);
    }

    [Fact]
    public async Task Event_with_ack_is_answered_with_the_same_id()
    {
        var (client, _) = await ConnectAsync();
        await using var _c = client;

        await client.SendTextAsync("421[\"x\",\"hi\"]");

        Assert.Equal("431[\"got hi\"]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Server_binary_emit_is_a_binary_event_followed_by_a_binary_frame()
    {
        var (client, _) = await ConnectAsync();
        await using var _c = client;

        await client.SendTextAsync("42[\"want-bytes\"]");

        Assert.Equal("451-[\"bytes\",{\"_placeholder\":true,\"num\":0}]", await client.ReceiveAsync());
        Assert.Equal("<binary 010203>", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Client_binary_event_is_reassembled_from_the_binary_frame()
    {
        var (client, _) = await ConnectAsync();
        await using var _c = client;

        await client.SendTextAsync("451-3[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync(9, 8, 7, 6);

        Assert.Equal("433[4]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Server_ack_request_uses_id_zero_and_takes_the_client_answer()
    {
        var (client, _) = await ConnectAsync();
        await using var _c = client;

        await client.SendTextAsync("42[\"ask\"]");
        Assert.Equal("420[\"question\",\"q?\"]", await client.ReceiveAsync());
        await client.SendTextAsync("430[\"yes\"]");

        Assert.Equal("42[\"answer-was\",\"yes\"]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Refused_namespace_gets_connect_error_and_the_connection_stays_usable()
    {
        var (client, _) = await OpenAsync();
        await using var _c = client;

        await client.SendTextAsync("40/private,");
        Assert.Equal("44/private,{\"message\":\"Not authorized\",\"data\":{\"reason\":\"no token\"}}", await client.ReceiveAsync());
        await client.SendTextAsync("40/random,");
        Assert.Equal("44/random,{\"message\":\"Invalid namespace\"}", await client.ReceiveAsync());

        await client.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Reserved_event_name_closes_the_connection_with_parse_error()
    {
        var (client, _) = await ConnectAsync();
        await using var _c = client;

        await client.SendTextAsync("42[\"disconnect\"]");

        Assert.Equal("<close>", await client.ReceiveAsync());
        Assert.Equal("parse error", await _disconnectReason.Task.DefaultTimeout());
    }

    [Fact]
    public async Task Eio3_client_is_joined_to_the_default_namespace_after_the_open_packet()
    {
        var (client, _) = await OpenAsync(eio: 3);
        await using var _c = client;

        Assert.Equal("40", await client.ReceiveAsync());
        await client.SendTextAsync("421[\"x\",\"v3\"]");
        Assert.Equal("431[\"got v3\"]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Broadcast_reaches_every_connected_client()
    {
        var (a, _) = await ConnectAsync();
        var (b, _) = await ConnectAsync();
        await using var _a = a;
        await using var _b = b;
        var io = _server.Services.GetRequiredService<SocketIOServer>();

        io.Emit("news", "x");

        Assert.Equal("42[\"news\",\"x\"]", await a.ReceiveAsync());
        Assert.Equal("42[\"news\",\"x\"]", await b.ReceiveAsync());
    }
}
