namespace PushServer.EngineIO.Tests.Wire;

public class UpgradeAndWebSocketTests
{
    [Theory]
    [InlineData(4, "1")]
    [InlineData(3, "1:6")]
    public async Task Polling_session_upgrades_to_websocket_with_probe_noop_and_upgrade(int eio, string _)
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync(eio);
        var poll = host.GetAsync($"EIO={eio}&transport=polling&sid={sid}");
        await PollingTests.WaitUntilPollIsHeld(host, sid);

        using var ws = await host.ProbeAsync(sid, eio);

        // The waiting poll is released with a noop so the client can pause polling: 100 ms after the probe, as
        // engine.io's upgrade check does.
        Assert.False(poll.IsCompleted);
        host.Time.Advance(Sessions.EngineSession.UpgradePollRelease);
        Assert.Equal(eio == 4 ? "6" : "1:6", (await poll.WaitAsync(TimeSpan.FromSeconds(10))).Body);

        await Frames.SendTextAsync(ws, "5");
        await Frames.SendTextAsync(ws, "4after upgrade");
        Assert.Equal("after upgrade", (await host.Handler.WaitForAsync<TextReceived>()).Text);
        // The handler heard of the upgrade, once the WebSocket was the session's transport.
        Assert.Equal("websocket", (await host.Handler.WaitForAsync<Upgraded>(u => u.Session.Id == sid)).TransportName);
        var session = host.Handler.Sessions[sid];
        Assert.Equal("websocket", session.TransportName);

        session.Send(EnginePacket.Text("down the socket"));
        Assert.Equal("4down the socket", await Frames.ReceiveTextAsync(ws));

        var (status, body, _) = await host.GetAsync($"EIO={eio}&transport=polling&sid={sid}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", body);
    }

    [Fact]
    public async Task Packets_queued_during_the_upgrade_are_delivered_over_the_websocket()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        using var ws = await host.ProbeAsync(sid);

        host.Handler.Sessions[sid].Send(EnginePacket.Text("queued"));
        await Frames.SendTextAsync(ws, "5");

        Assert.Equal("4queued", await Frames.ReceiveTextAsync(ws));
    }

    [Fact]
    public async Task An_upgrade_that_never_finishes_is_dropped_after_upgradeTimeout_and_polling_carries_on()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        using var ws = await host.ProbeAsync(sid);

        host.Time.Advance(host.Options.UpgradeTimeout + TimeSpan.FromMilliseconds(1));

        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(ws)).Type);
        var session = host.Handler.Sessions[sid];
        Assert.True(session.IsOpen);
        Assert.Equal("polling", session.TransportName);
        session.Send(EnginePacket.Text("still polling"));
        Assert.Equal("4still polling", (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Body);
    }

    [Fact]
    public async Task A_finished_upgrade_is_not_closed_when_upgradeTimeout_passes()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        using var ws = await UpgradeAsync(host, sid);

        host.Time.Advance(host.Options.UpgradeTimeout + TimeSpan.FromMilliseconds(1));
        host.Handler.Sessions[sid].Send(EnginePacket.Text("still open"));

        Assert.Equal("4still open", await Frames.ReceiveTextAsync(ws));
        Assert.True(host.Handler.Sessions[sid].IsOpen);
    }

    [Fact]
    public async Task A_second_websocket_for_an_upgraded_session_is_closed_at_once()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        using var ws = await UpgradeAsync(host, sid);

        using var second = await host.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");

        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(second)).Type);
        Assert.True(host.Handler.Sessions[sid].IsOpen);
    }

    [Fact]
    public async Task A_second_websocket_while_one_is_probing_is_closed_at_once_and_the_first_carries_on()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        using var first = await host.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");

        // The first sends nothing yet: its upgrade is in progress all the same, as engine.io's `upgrading` is.
        using var second = await host.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");

        // Virtual time stands still, so only an immediate close gets here (not the upgrade timeout).
        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(second)).Type);
        await Frames.SendTextAsync(first, "2probe");
        Assert.Equal("3probe", await Frames.ReceiveTextAsync(first));
        await Frames.SendTextAsync(first, "5");
        await Frames.SendTextAsync(first, "4upgraded");
        Assert.Equal("upgraded", (await host.Handler.WaitForAsync<TextReceived>()).Text);
        Assert.Equal("websocket", host.Handler.Sessions[sid].TransportName);
    }

    [Fact]
    public async Task After_a_failed_probe_a_new_upgrade_attempt_is_served()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        using (var failed = new ClientWebSocket())
        {
            await failed.ConnectAsync(host.WebSocketUri($"EIO=4&transport=websocket&sid={sid}"), CancellationToken.None);
            await Frames.SendTextAsync(failed, "4not a probe");
            Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(failed)).Type);
        }

        using var next = await host.ProbeAsync(sid);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_probe_websocket_is_closed_when_its_session_dies_by_ping_timeout(bool probed)
    {
        // The upgrade timeout far beyond the heartbeat: only the session's end can close the probe here.
        await using var host = await EngineTestHost.StartAsync(o => o.UpgradeTimeout = TimeSpan.FromHours(1));
        var sid = await host.OpenPollingAsync();
        using var probe = await host.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");
        if (probed)
        {
            await Frames.SendTextAsync(probe, "2probe");
            Assert.Equal("3probe", await Frames.ReceiveTextAsync(probe));
        }

        host.Time.Advance(host.Options.PingInterval);
        host.Time.Advance(host.Options.PingTimeout);

        Assert.Equal(EngineCloseReason.PingTimeout, (await host.Handler.WaitForAsync<Closed>()).Reason);
        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(probe)).Type);
    }

    [Fact]
    public async Task A_probe_websocket_is_closed_when_the_server_closes_its_session()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.UpgradeTimeout = TimeSpan.FromHours(1));
        var sid = await host.OpenPollingAsync();
        using var probe = await host.ProbeAsync(sid);

        host.Handler.Sessions[sid].Close();

        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(probe)).Type);
        // Polling resumes to deliver the close packet.
        Assert.Equal("1", (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Body);
    }

    [Fact]
    public async Task Websocket_carries_text_and_binary_frames_both_ways_in_v4()
    {
        await using var host = await EngineTestHost.StartAsync();
        host.Handler.Echo = true;
        using var ws = await host.ConnectWebSocketAsync("EIO=4&transport=websocket");
        await Frames.ReceiveTextAsync(ws);

        await Frames.SendTextAsync(ws, "4hello");
        Assert.Equal("4hello", await Frames.ReceiveTextAsync(ws));

        await Frames.SendBinaryAsync(ws, [1, 2, 3]);
        var (type, data) = await Frames.ReceiveAsync(ws);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 1, 2, 3 }, data);
    }

    [Fact]
    public async Task Websocket_messages_of_every_size_arrive_whole_also_when_sent_in_fragments()
    {
        // The reader learns of a message from its idle wait and rents a buffer only then; the message must arrive
        // intact whether it is one byte ("4", an empty message), a little longer, past the WebSocket's own small
        // buffer (125 bytes) or the first receive buffer (4096), or split by the client into several frames.
        await using var host = await EngineTestHost.StartAsync();
        var (ws, _) = await host.OpenWebSocketAsync();
        var sizes = new[] { 0, 1, 2, 124, 125, 126, 4095, 4096, 10_000 };

        foreach (var size in sizes)
        {
            await Frames.SendTextAsync(ws, "4" + new string('x', size));
        }
        var text = "4" + string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + (i % 26))));
        var bytes = Encoding.UTF8.GetBytes(text);
        await ws.SendAsync(bytes.AsMemory(0, 1), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        await ws.SendAsync(bytes.AsMemory(1, 100), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        await ws.SendAsync(bytes.AsMemory(101), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await Frames.SendBinaryAsync(ws, [7]);

        foreach (var size in sizes)
        {
            Assert.Equal(new string('x', size), (await host.Handler.WaitForAsync<TextReceived>()).Text);
        }
        Assert.Equal(text[1..], (await host.Handler.WaitForAsync<TextReceived>()).Text);
        Assert.Equal(new byte[] { 7 }, (await host.Handler.WaitForAsync<BinaryReceived>()).Data);
    }

    [Fact]
    public async Task Websocket_binary_frames_carry_a_type_byte_in_v3()
    {
        await using var host = await EngineTestHost.StartAsync();
        host.Handler.Echo = true;
        using var ws = await host.ConnectWebSocketAsync("EIO=3&transport=websocket");
        await Frames.ReceiveTextAsync(ws);

        await Frames.SendBinaryAsync(ws, [4, 1, 2, 3]);

        Assert.Equal(new byte[] { 1, 2, 3 }, (await host.Handler.WaitForAsync<BinaryReceived>()).Data);
        Assert.Equal(new byte[] { 4, 1, 2, 3 }, (await Frames.ReceiveAsync(ws)).Data);
    }

    [Fact]
    public async Task Websocket_client_asking_for_base64_gets_binary_as_text()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (ws, session) = await host.OpenWebSocketAsync("EIO=3&transport=websocket&b64=1");

        session.Send(EnginePacket.Binary([1, 2, 3]));

        Assert.Equal("b4AQID", await Frames.ReceiveTextAsync(ws));
    }

    [Fact]
    public async Task A_websocket_message_over_maxPayload_closes_with_1009()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.MaxHttpBufferSize = 50);
        using var ws = await host.ConnectWebSocketAsync("EIO=4&transport=websocket");
        await Frames.ReceiveTextAsync(ws);

        await Frames.SendTextAsync(ws, "4" + new string('x', 100));

        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(ws)).Type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.CloseStatus);
        Assert.Equal(EngineCloseReason.TransportError, (await host.Handler.WaitForAsync<Closed>()).Reason);
    }

    [Fact]
    public async Task A_malformed_websocket_packet_closes_the_session_with_parse_error()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var ws = await host.ConnectWebSocketAsync("EIO=4&transport=websocket");
        await Frames.ReceiveTextAsync(ws);

        await Frames.SendTextAsync(ws, "9oops");

        Assert.Equal(EngineCloseReason.ParseError, (await host.Handler.WaitForAsync<Closed>()).Reason);
        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(ws)).Type);
    }

    [Fact]
    public async Task A_client_that_drops_the_websocket_is_reported_once_as_transport_close()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (ws, session) = await host.OpenWebSocketAsync();
        var sid = session.Id;

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        Assert.Equal(EngineCloseReason.TransportClose, (await host.Handler.WaitForAsync<Closed>()).Reason);
        Assert.Equal(1, host.Handler.CloseCounts[sid]);
        Assert.Equal(0, host.Engine.SessionCount);
    }

    [Fact]
    public async Task Server_close_over_websocket_flushes_then_sends_a_close_frame()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (ws, session) = await host.OpenWebSocketAsync();

        session.Send(EnginePacket.Text("last words"));
        session.Close();

        Assert.Equal("4last words", await Frames.ReceiveTextAsync(ws));
        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(ws)).Type);
        Assert.Equal(EngineCloseReason.ForcedClose, (await host.Handler.WaitForAsync<Closed>()).Reason);
    }

    /// <summary>Upgrades a polling session to a WebSocket and waits until a packet has arrived over it.</summary>
    private static async Task<ClientWebSocket> UpgradeAsync(EngineTestHost host, string sid)
    {
        var ws = await host.ProbeAsync(sid);
        await Frames.SendTextAsync(ws, "5");
        await Frames.SendTextAsync(ws, "4x");
        await host.Handler.WaitForAsync<TextReceived>();
        return ws;
    }
}
