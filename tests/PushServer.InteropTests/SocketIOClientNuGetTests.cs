using System.Text.Json;
using SocketIOClient;
using SocketIOClient.Transport;

namespace PushServer.InteropTests;

/// <summary>The SocketIOClient NuGet package, with Engine.IO v4 and v3, over WebSocket and polling.</summary>
public class SocketIOClientNuGetTests
{
    public static TheoryData<int, TransportProtocol> Variants => new()
    {
        { 4, TransportProtocol.WebSocket },
        { 4, TransportProtocol.Polling },
        { 3, TransportProtocol.WebSocket },
        { 3, TransportProtocol.Polling },
    };

    /// <summary>Disconnects before disposing, so the server never waits for a close handshake nobody answers.</summary>
    private sealed class ClientHandle(SocketIOClient.SocketIO client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.Connected)
                {
                    await client.DisconnectAsync();
                }
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// Connects and waits for the connected event: under load the client's ConnectAsync can return before
    /// the namespace CONNECT reply has been processed.
    /// </summary>
    private static async Task ConnectAndWaitAsync(SocketIOClient.SocketIO client)
    {
        var connected = new Await<bool>();
        EventHandler onConnected = (_, _) => connected.Set(true);
        client.OnConnected += onConnected;
        try
        {
            await client.ConnectAsync();
            await connected.Task;
        }
        finally
        {
            client.OnConnected -= onConnected;
        }
    }

    private static ClientHandle Track(SocketIOClient.SocketIO client) => new(client);

    private static SocketIOClient.SocketIO NewClient(InteropServer server, int eio, TransportProtocol transport, string nsp = "", object? auth = null)
    {
        var options = new SocketIOOptions
        {
            EIO = eio,
            Transport = transport,
            AutoUpgrade = false,
            Reconnection = false,
            ConnectionTimeout = TimeSpan.FromSeconds(10),
        };
        if (auth is not null)
        {
            if (eio == 3)
            {
                // Engine.IO v3 clients carry auth in the namespace's query string.
                options.Query = [new KeyValuePair<string, string>("token", (string)auth.GetType().GetProperty("token")!.GetValue(auth)!)];
            }
            else
            {
                options.Auth = auth;
            }
        }
        return new SocketIOClient.SocketIO(server.Url + nsp, options);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Connects_and_exchanges_events_and_acks_both_ways(int eio, TransportProtocol transport)
    {
        await using var server = await InteropServer.StartAsync();
        var client = NewClient(server, eio, transport);
        await using var clientHandle = Track(client);
        var messageBack = new Await<string>();
        var answer = new Await<string>();
        client.On("message-back", r => messageBack.Set(r.GetValue<string>(0)));
        client.On("question", r => r.CallbackAsync("forty-two from " + r.GetValue<string>(0)));
        client.On("answer", r => answer.Set(r.GetValue<string>(0)));
        // Reported as an answer, so a failure says whether the server gave up on the client's ack or nothing came.
        client.On("answer-timeout", _ => answer.Set("(the server's ack timeout expired)"));
        await ConnectAndWaitAsync(client);

        var ack = new Await<string>();
        await client.EmitAsync("echo", r => ack.Set(r.GetValue<string>(0)), "ping");
        Assert.Equal("ping", await ack.Task);

        await client.EmitAsync("message", "hello");
        Assert.Equal("hello", await messageBack.Task);

        await client.EmitAsync("ask", "life");
        Assert.Equal("forty-two from life", await answer.Task);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task An_ack_the_client_never_sends_times_out_on_the_server(int eio, TransportProtocol transport)
    {
        await using var server = await InteropServer.StartAsync();
        var client = NewClient(server, eio, transport);
        await using var clientHandle = Track(client);
        var timedOut = new Await<bool>();
        client.On("answer-timeout", _ => timedOut.Set(true));
        await ConnectAndWaitAsync(client);

        await client.EmitAsync("ask", "anyone?", 300);

        Assert.True(await timedOut.Task);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Binary_travels_both_ways(int eio, TransportProtocol transport)
    {
        await using var server = await InteropServer.StartAsync();
        var client = NewClient(server, eio, transport);
        await using var clientHandle = Track(client);
        await ConnectAndWaitAsync(client);

        var ack = new Await<byte[]>();
        await client.EmitAsync("echo", r => ack.Set(r.InComingBytes.Single()), new byte[] { 1, 2, 3, 255 });

        Assert.Equal(new byte[] { 1, 2, 3, 255 }, await ack.Task);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Room_broadcasts_reach_members_only(int eio, TransportProtocol transport)
    {
        await using var server = await InteropServer.StartAsync();
        var member = NewClient(server, eio, transport);
        await using var memberHandle = Track(member);
        var outsider = NewClient(server, eio, transport);
        await using var outsiderHandle = Track(outsider);
        var received = new Await<string>();
        var outsiderReceived = false;
        member.On("room-message", r => received.Set(r.GetValue<string>(0)));
        outsider.On("room-message", _ => outsiderReceived = true);
        await ConnectAndWaitAsync(member);
        await ConnectAndWaitAsync(outsider);
        var joined = new Await<string>();
        await member.EmitAsync("join", r => joined.Set(r.GetValue<string>(0)), "news");
        Assert.Equal("joined", await joined.Task);

        await outsider.EmitAsync("to-room", "news", "extra!");

        Assert.Equal("extra!", await received.Task);
        // The outsider's own echo proves its earlier events were all processed.
        var echo = new Await<string>();
        await outsider.EmitAsync("echo", r => echo.Set(r.GetValue<string>(0)), "sync");
        await echo.Task;
        Assert.False(outsiderReceived);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_second_namespace_with_auth_connects(int eio, TransportProtocol transport)
    {
        await using var server = await InteropServer.StartAsync();
        var client = NewClient(server, eio, transport, "/admin", new { token = "secret" });
        await using var clientHandle = Track(client);
        var welcome = new Await<string>();
        client.On("welcome", r => welcome.Set(r.GetValue<string>(0)));

        await ConnectAndWaitAsync(client);

        Assert.Equal("admin", await welcome.Task);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Middleware_rejection_is_seen_by_the_client(int eio, TransportProtocol transport)
    {
        await using var server = await InteropServer.StartAsync();
        var client = NewClient(server, eio, transport, "/admin", new { token = "wrong" });
        await using var clientHandle = Track(client);
        var error = new Await<string>();
        client.OnError += (_, e) => error.Set(e);

        _ = client.ConnectAsync();

        // Like Node's server, an EIO=3 client is sent the error's data when it has some, else its message.
        Assert.Contains(eio == 4 ? "Not authorized" : "no token", await error.Task);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_client_disconnected_by_the_server_can_connect_again(int eio, TransportProtocol transport)
    {
        await using var server = await InteropServer.StartAsync();
        var client = NewClient(server, eio, transport);
        await using var clientHandle = Track(client);
        var disconnected = new Await<string>();
        var reconnected = new Await<bool>();
        var connects = 0;
        client.OnDisconnected += (_, reason) => disconnected.Set(reason);
        client.OnConnected += (_, _) =>
        {
            if (Interlocked.Increment(ref connects) == 2)
            {
                reconnected.Set(true);
            }
        };
        await ConnectAndWaitAsync(client);
        var firstId = client.Id;

        await client.EmitAsync("kick");
        Assert.Equal("io server disconnect", await disconnected.Task);

        await client.ConnectAsync();
        Assert.True(await reconnected.Task);
        var ack = new Await<string>();
        await client.EmitAsync("echo", r => ack.Set(r.GetValue<string>(0)), "back");
        Assert.Equal("back", await ack.Task);
        if (eio == 4)
        {
            Assert.NotEqual(firstId, client.Id);
        }
    }
}
