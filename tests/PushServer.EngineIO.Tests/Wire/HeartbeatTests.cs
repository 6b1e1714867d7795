namespace PushServer.EngineIO.Tests.Wire;

/// <summary>Heartbeat rules, on virtual time: the clock only moves when a test advances it.</summary>
public class HeartbeatTests
{
    [Fact]
    public async Task V4_server_pings_every_pingInterval_and_a_pong_keeps_the_session()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        var poll = host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await PollingTests.WaitUntilPollIsHeld(host, sid);

        host.Time.Advance(host.Options.PingInterval);
        Assert.Equal("2", (await poll.WaitAsync(TimeSpan.FromSeconds(10))).Body);
        await host.PostAsync($"EIO=4&transport=polling&sid={sid}", "3");

        host.Time.Advance(host.Options.PingTimeout);
        Assert.True(host.Handler.Sessions[sid].IsOpen);
        host.Time.Advance(host.Options.PingInterval - host.Options.PingTimeout);
        Assert.Equal("2", (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Body);
    }

    [Fact]
    public async Task V4_session_without_a_pong_closes_with_ping_timeout()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (ws, session) = await host.OpenWebSocketAsync();

        host.Time.Advance(host.Options.PingInterval);
        Assert.Equal("2", await Frames.ReceiveTextAsync(ws));
        host.Time.Advance(host.Options.PingTimeout);

        Assert.Equal(EngineCloseReason.PingTimeout, (await host.Handler.WaitForAsync<Closed>()).Reason);
        Assert.False(session.IsOpen);
        // A clean close frame, not a reset.
        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(ws)).Type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
    }

    [Fact]
    public async Task V4_ping_timeout_ends_a_polling_session_at_once()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();

        host.Time.Advance(host.Options.PingInterval);
        host.Time.Advance(host.Options.PingTimeout);

        Assert.Equal(EngineCloseReason.PingTimeout, (await host.Handler.WaitForAsync<Closed>()).Reason);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Status);
    }

    [Fact]
    public async Task A_late_ping_timer_does_not_push_the_ping_timeout_back()
    {
        // Every timer fires 50 ms late. The ping was due at handshake + pingInterval and goes out late, but the session
        // still ends at handshake + pingInterval + pingTimeout (plus the lateness of that one timer), as a client
        // counting from the handshake expects; it used to end a lateness later for each timer in the chain.
        var late = TimeSpan.FromMilliseconds(50);
        await using var host = await EngineTestHost.StartAsync(timerShift: late);
        var sid = await host.OpenPollingAsync();
        var session = host.Handler.Sessions[sid];

        host.Time.Advance(host.Options.PingInterval + late);
        Assert.Equal("2", (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Body);
        host.Time.Advance(host.Options.PingTimeout - TimeSpan.FromMilliseconds(1));
        Assert.True(session.IsOpen);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(session.IsOpen);
        Assert.Equal(EngineCloseReason.PingTimeout, (await host.Handler.WaitForAsync<Closed>()).Reason);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Status);
    }

    [Fact]
    public async Task A_request_after_the_ping_timeout_finds_the_session_gone_even_before_the_late_timer_fires()
    {
        // Timers fire 50 ms late (a busy machine). A client that polls right at pingInterval + pingTimeout after the
        // handshake, without having answered the ping, must get 400 as from a server whose timer was on time, not the
        // session that the late timer has not closed yet.
        var late = TimeSpan.FromMilliseconds(50);
        await using var host = await EngineTestHost.StartAsync(timerShift: late);
        var sid = await host.OpenPollingAsync();
        host.Time.Advance(host.Options.PingInterval + late);
        Assert.Equal("2", (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Body);

        host.Time.Advance(host.Options.PingTimeout - late);

        Assert.Equal(HttpStatusCode.BadRequest, (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Status);
        Assert.Equal(EngineCloseReason.PingTimeout, (await host.Handler.WaitForAsync<Closed>()).Reason);
    }

    [Fact]
    public async Task A_pong_in_time_keeps_the_session_however_late_the_timers_run()
    {
        var late = TimeSpan.FromMilliseconds(50);
        await using var host = await EngineTestHost.StartAsync(timerShift: late);
        var sid = await host.OpenPollingAsync();
        host.Time.Advance(host.Options.PingInterval + late);
        Assert.Equal("2", (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Body);
        host.Time.Advance(host.Options.PingTimeout - late - TimeSpan.FromMilliseconds(1));

        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync($"EIO=4&transport=polling&sid={sid}", "3")).Status);
        host.Time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True(host.Handler.Sessions[sid].IsOpen);
    }

    [Fact]
    public async Task A_ping_timer_firing_early_neither_pings_early_nor_late()
    {
        // The system timer can fire a little before the high-resolution clock says the time has come. With the default
        // coalescing gap, such a firing used to count as one, so the ping it found not yet due waited the whole gap.
        await using var host = await EngineTestHost.StartAsync(timerShift: TimeSpan.FromMilliseconds(-1));
        var sid = await host.OpenPollingAsync();
        var poll = host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await PollingTests.WaitUntilPollIsHeld(host, sid);

        host.Time.Advance(host.Options.PingInterval - TimeSpan.FromMilliseconds(1));
        Assert.False(poll.IsCompleted);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("2", (await poll.WaitAsync(TimeSpan.FromSeconds(10))).Body);
    }

    [Fact]
    public async Task V3_client_ping_is_answered_with_pong_and_silence_closes_the_session()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync(eio: 3);

        await host.PostAsync($"EIO=3&transport=polling&sid={sid}", "1:2");
        Assert.Equal("1:3", (await host.GetAsync($"EIO=3&transport=polling&sid={sid}")).Body);

        host.Time.Advance(host.Options.PingInterval + host.Options.PingTimeout - TimeSpan.FromMilliseconds(1));
        Assert.True(host.Handler.Sessions[sid].IsOpen);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(EngineCloseReason.PingTimeout, (await host.Handler.WaitForAsync<Closed>()).Reason);
    }

    [Theory]
    [InlineData(4, "2")]
    [InlineData(3, "3")]
    public async Task A_heartbeat_in_the_wrong_direction_is_a_transport_error(int eio, string packet)
    {
        await using var host = await EngineTestHost.StartAsync();
        using var ws = await host.ConnectWebSocketAsync($"EIO={eio}&transport=websocket");
        await Frames.ReceiveTextAsync(ws);

        await Frames.SendTextAsync(ws, packet);

        Assert.Equal(EngineCloseReason.TransportError, (await host.Handler.WaitForAsync<Closed>()).Reason);
    }
}
