namespace PushServer.SocketIO.Tests.Server;

/// <summary>Connection state recovery on virtual time: what is stored, what is replayed, and when it expires.</summary>
public class ConnectionStateRecoveryTests
{
    private static TestServer Start(Action<ConnectionStateRecoveryOptions>? configure = null) => new(o =>
    {
        o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions();
        configure?.Invoke(o.ConnectionStateRecovery);
    });

    private static (string Sid, string Pid) ReadConnect(string frame)
    {
        Assert.StartsWith("0{", frame);
        var root = JsonDocument.Parse(frame[1..]).RootElement;
        return (root.GetProperty("sid").GetString()!, root.GetProperty("pid").GetString()!);
    }

    private static string LastOffset(FakeEngineSession session)
    {
        var last = session.Texts.Last(t => t.StartsWith("2[", StringComparison.Ordinal));
        var args = JsonDocument.Parse(last[1..]).RootElement;
        return args[args.GetArrayLength() - 1].GetString()!;
    }

    private static async Task<(FakeEngineSession Session, string Sid, string Pid)> JoinAsync(TestServer server, string auth = "")
    {
        var session = await server.OpenAsync();
        await session.ReceiveAsync("0" + auth);
        var (sid, pid) = ReadConnect(session.Texts[0]);
        return (session, sid, pid);
    }

    [Fact]
    public async Task Connect_reply_carries_a_pid_and_plain_events_an_offset()
    {
        var server = Start();
        var (session, sid, _) = await JoinAsync(server);
        var socket = server.Io.Sockets.Sockets[sid];

        socket.Emit("plain", 1);
        socket.Volatile.Emit("volatile", 2);
        _ = socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("acked", [3]);

        var texts = session.Texts.Skip(1).ToList();
        Assert.Matches("^2\\[\"plain\",1,\"[0-9a-f]+\"\\]$", texts[0]);
        Assert.Equal("2[\"volatile\",2]", texts[1]);
        Assert.Equal("20[\"acked\",3]", texts[2]);
    }

    [Fact]
    public async Task Protocol_v4_clients_get_no_pid_and_no_offset()
    {
        var server = Start();
        var session = await server.OpenAsync(EngineProtocolVersion.V3);
        Assert.Equal("0", session.Texts[0]);
        server.Io.Emit("news", "x");
        Assert.Equal("2[\"news\",\"x\"]", session.Texts[1]);
    }

    [Fact]
    public async Task Recovered_socket_gets_its_id_rooms_data_and_missed_events_in_order_once()
    {
        var server = Start();
        var (session, sid, pid) = await JoinAsync(server);
        var socket = server.Io.Sockets.Sockets[sid];
        socket.Join("news");
        socket.Data = "kept";
        server.Io.To("news").Emit("e", 1);
        var offset = LastOffset(session);

        session.Drop(EngineCloseReason.TransportClose);
        server.Io.To("news").Emit("e", 2);
        server.Io.To("elsewhere").Emit("e", -1);
        server.Io.Except("news").Emit("e", -2);
        server.Io.Emit("e", 3);

        var again = await server.OpenAsync();
        await again.ReceiveAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        var (sid2, pid2) = ReadConnect(again.Texts[0]);
        Assert.Equal(sid, sid2);
        Assert.Equal(pid, pid2);
        var replayed = again.Texts.Skip(1).Select(t => JsonDocument.Parse(t[1..]).RootElement[1].GetInt32()).ToArray();
        Assert.Equal([2, 3], replayed);

        var recovered = server.Io.Sockets.Sockets[sid];
        Assert.True(recovered.Recovered);
        Assert.Equal("kept", recovered.Data);
        Assert.Contains("news", recovered.Rooms);

        // Recovered at most once: a second client with the same pid, while the first is back, gets a new socket.
        var third = await server.OpenAsync();
        await third.ReceiveAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        Assert.NotEqual(sid, ReadConnect(third.Texts[0]).Sid);
    }

    [Fact]
    public async Task Missed_events_are_replayed_as_they_were_sent_binary_attachments_and_namespaces_included()
    {
        var server = Start();
        var chat = server.Io.Of("/chat");
        var session = await server.OpenAsync();
        await session.ReceiveAsync("0/chat,");
        var root = JsonDocument.Parse(session.Texts[0]["0/chat,".Length..]).RootElement;
        var (sid, pid) = (root.GetProperty("sid").GetString()!, root.GetProperty("pid").GetString()!);
        chat.Sockets[sid].Join("files");
        chat.Emit("e", 0);
        var sent = JsonDocument.Parse(session.Texts[^1]["2/chat,".Length..]).RootElement;
        var offset = sent[sent.GetArrayLength() - 1].GetString()!;
        session.Drop(EngineCloseReason.TransportClose);

        chat.To("files").Emit("file", "a.bin", new byte[] { 1, 2, 3 });
        chat.Except("files").Emit("e", -1);
        chat.Emit("e", "après");
        var live = await server.OpenAsync();
        await live.ReceiveAsync("0/chat,");
        chat.Emit("e", 1);

        var again = await server.OpenAsync();
        await again.ReceiveAsync($"0/chat,{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        var frames = again.Frames.Skip(1).ToList();
        Assert.Matches("^51-/chat,\\[\"file\",\"a.bin\",\\{\"_placeholder\":true,\"num\":0\\},\"[0-9a-f]+\"\\]$", frames[0]);
        Assert.Equal("<binary 010203>", frames[1]);
        Assert.Matches("^2/chat,\\[\"e\",\"après\",\"[0-9a-f]+\"\\]$", frames[2]);
        Assert.Matches("^2/chat,\\[\"e\",1,\"[0-9a-f]+\"\\]$", frames[3]);
        Assert.Equal(4, frames.Count);
    }

    [Fact]
    public async Task A_session_expires_after_the_window()
    {
        var server = Start();
        var (session, _, pid) = await JoinAsync(server);
        server.Io.Emit("e", 1);
        var offset = LastOffset(session);
        session.Drop(EngineCloseReason.PingTimeout);

        server.Time.Advance(ConnectionStateRecoveryOptions.DefaultMaxDisconnectionDuration + TimeSpan.FromSeconds(61));

        var again = await server.OpenAsync();
        await again.ReceiveAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        Assert.False(server.Io.Sockets.Sockets.Values.Single().Recovered);
    }

    [Fact]
    public async Task A_client_namespace_disconnect_is_not_recoverable()
    {
        var server = Start();
        var (session, sid, pid) = await JoinAsync(server);
        server.Io.Emit("e", 1);
        var offset = LastOffset(session);
        await session.ReceiveAsync("1");

        await session.ReceiveAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        Assert.NotEqual(sid, ReadConnect(session.Texts.Last(t => t.StartsWith("0", StringComparison.Ordinal))).Sid);
    }

    [Fact]
    public async Task Stored_events_are_capped_in_bytes_and_an_evicted_offset_means_a_new_socket()
    {
        var server = Start(o => o.MaxStoredBytes = 200);
        var (session, sid, pid) = await JoinAsync(server);
        server.Io.Emit("e", 0);
        var offset = LastOffset(session);
        session.Drop(EngineCloseReason.TransportError);
        for (var i = 0; i < 20; i++)
        {
            server.Io.Emit("e", new string('x', 50));
        }

        var again = await server.OpenAsync();
        await again.ReceiveAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        Assert.NotEqual(sid, ReadConnect(again.Texts[0]).Sid);
    }

    [Fact]
    public async Task Middlewares_run_for_a_recovered_socket_when_not_skipped()
    {
        var server = Start(o => o.SkipMiddlewares = false);
        var runs = 0;
        server.Io.Use((_, _) =>
        {
            runs++;
            return ValueTask.CompletedTask;
        });
        var (session, sid, pid) = await JoinAsync(server);
        server.Io.Emit("e", 1);
        var offset = LastOffset(session);
        session.Drop(EngineCloseReason.TransportClose);
        server.Io.Emit("e", 2);

        var again = await server.OpenAsync();
        await again.ReceiveAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        Assert.Equal(sid, ReadConnect(again.Texts[0]).Sid);
        Assert.Equal(2, runs);
        Assert.Matches("^2\\[\"e\",2,", again.Texts[1]);
    }

    [Fact]
    public async Task A_connection_closed_while_its_socket_is_being_recovered_keeps_the_session_for_the_next_attempt()
    {
        var server = Start(o => o.SkipMiddlewares = false);
        var middlewareEntered = new TaskCompletionSource();
        var releaseMiddleware = new TaskCompletionSource();
        server.Io.Use(async (socket, _) =>
        {
            if (socket.Recovered)
            {
                middlewareEntered.TrySetResult();
                await releaseMiddleware.Task;
            }
        });
        var (session, sid, pid) = await JoinAsync(server);
        server.Io.Emit("e", 1);
        var offset = LastOffset(session);
        session.Drop(EngineCloseReason.TransportClose);
        server.Io.Emit("e", 2);

        // The server closes the connection (CloseAll, a drain) while the recovered socket is still connecting.
        var interrupted = await server.OpenAsync();
        var connecting = interrupted.ReceiveAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        await middlewareEntered.Task.DefaultTimeout();
        interrupted.Drop(EngineCloseReason.ForcedClose);
        releaseMiddleware.SetResult();
        await connecting.DefaultTimeout();
        Assert.Empty(server.Io.Sockets.Sockets);

        // The client still holds its pid and offset: its next attempt gets the same socket and the missed event.
        var again = await server.OpenAsync();
        await again.ReceiveAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        Assert.Equal(sid, ReadConnect(again.Texts[0]).Sid);
        Assert.Matches("^2\\[\"e\",2,", again.Texts[1]);
    }
}
