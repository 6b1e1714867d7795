using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.Tests.Outbound;

/// <summary>
/// <see cref="EngineFanOut"/>: sends made inside a scope are queued at once and written by a work item per slice of
/// the recipients when the scope ends. Slices are cut small here so that a few dozen sessions make several of them.
/// </summary>
public sealed class FanOutTests
{
    [Fact]
    public async Task Every_WebSocket_session_gets_every_fanned_out_packet_in_order_with_direct_sends_between()
    {
        await using var host = await EngineTestHost.StartAsync();
        var clients = new List<(ClientWebSocket WebSocket, IEngineSession Session)>();
        for (var i = 0; i < 40; i++)
        {
            clients.Add(await host.OpenWebSocketAsync());
        }

        const int rounds = 20;
        for (var round = 0; round < rounds; round++)
        {
            Broadcast(clients, $"broadcast-{round}");
            // A send outside any scope starts its writer itself and must still come after the broadcast before it.
            foreach (var (_, session) in clients)
            {
                session.Send(EnginePacket.Text($"direct-{round}"));
            }
        }
        var expected = Enumerable.Range(0, rounds).SelectMany(r => new[] { $"4broadcast-{r}", $"4direct-{r}" }).ToList();
        foreach (var (ws, _) in clients)
        {
            Assert.Equal(expected, await ReceiveAsync(ws, expected.Count));
        }

        // Every writer is idle now, so only the scope can start the writers for this one.
        Broadcast(clients, "last");
        foreach (var (ws, _) in clients)
        {
            Assert.Equal(["4last"], await ReceiveAsync(ws, 1));
        }
    }

    private static void Broadcast(List<(ClientWebSocket WebSocket, IEngineSession Session)> clients, string text)
    {
        using var fanOut = EngineFanOut.Begin(clients.Count, cores: 4, minimumSliceLength: 4);
        var packet = EnginePacket.Text(text);
        foreach (var (_, session) in clients)
        {
            Assert.True(session.Send(packet));
        }
        Assert.Equal(clients.Count, fanOut.DeferredSessions);
    }

    private static async Task<List<string>> ReceiveAsync(ClientWebSocket ws, int count)
    {
        var received = new List<string>();
        while (received.Count < count)
        {
            var frame = await Frames.ReceiveTextAsync(ws);
            Assert.NotEqual("<close>", frame);
            if (frame != "2")
            {
                received.Add(frame);
            }
        }
        return received;
    }

    [Fact]
    public async Task A_waiting_poll_is_answered_when_the_scope_ends()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            sids.Add(await host.OpenPollingAsync());
        }
        var polls = sids.Select(sid => host.GetAsync($"EIO=4&transport=polling&sid={sid}")).ToList();
        foreach (var sid in sids)
        {
            await Wire.PollingTests.WaitUntilPollIsHeld(host, sid);
        }

        using (var fanOut = EngineFanOut.Begin(sids.Count, cores: 3, minimumSliceLength: 2))
        {
            foreach (var sid in sids)
            {
                host.Handler.Sessions[sid].Send(EnginePacket.Text("to-every-poll"));
            }
            Assert.Equal(sids.Count, fanOut.DeferredSessions);
        }

        foreach (var poll in polls)
        {
            Assert.Equal("4to-every-poll", (await poll.DefaultTimeout()).Body);
        }
    }

    [Fact]
    public async Task A_packet_sent_in_several_parts_is_one_entry_and_arrives_whole()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (ws, session) = await host.OpenWebSocketAsync();

        using (var fanOut = EngineFanOut.Begin(1, cores: 2, minimumSliceLength: 1))
        {
            session.Send(EnginePacket.Text("part-one"));
            session.Send(EnginePacket.Binary([1, 2, 3]));
            Assert.Equal(1, fanOut.DeferredSessions);
        }

        Assert.Equal("4part-one", await Frames.ReceiveUntilAsync(ws, f => f != "2"));
        var (type, data) = await Frames.ReceiveAsync(ws);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 1, 2, 3 }, data);
    }

    [Fact]
    public async Task A_scope_begun_inside_another_joins_it()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (ws, session) = await host.OpenWebSocketAsync();

        using (var outer = EngineFanOut.Begin(1, cores: 2, minimumSliceLength: 1))
        {
            using (var inner = EngineFanOut.Begin(EngineFanOut.MinimumRecipients))
            {
                Assert.Equal(0, inner.DeferredSessions);
                session.Send(EnginePacket.Text("from-inner"));
            }
            // The inner scope's end started nothing: the outer one holds the session.
            Assert.Equal(1, outer.DeferredSessions);
        }

        Assert.Equal("4from-inner", await Frames.ReceiveUntilAsync(ws, f => f != "2"));
    }

    [Fact]
    public async Task A_broadcast_below_the_minimum_starts_each_writer_at_once()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (ws, session) = await host.OpenWebSocketAsync();

        using (var fanOut = EngineFanOut.Begin(EngineFanOut.MinimumRecipients - 1))
        {
            session.Send(EnginePacket.Text("small"));
            Assert.Equal(0, fanOut.DeferredSessions);
        }

        Assert.Equal("4small", await Frames.ReceiveUntilAsync(ws, f => f != "2"));
    }

    [Fact]
    public async Task A_send_to_a_closed_session_is_not_held_by_the_scope()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (_, closed) = await host.OpenWebSocketAsync();
        var (ws, open) = await host.OpenWebSocketAsync();
        ((EngineSession)closed).Close();

        using (var fanOut = EngineFanOut.Begin(2, cores: 2, minimumSliceLength: 1))
        {
            Assert.False(closed.Send(EnginePacket.Text("lost")));
            Assert.True(open.Send(EnginePacket.Text("kept")));
            Assert.Equal(1, fanOut.DeferredSessions);
        }

        Assert.Equal("4kept", await Frames.ReceiveUntilAsync(ws, f => f != "2"));
    }
}
