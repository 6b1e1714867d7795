namespace PushServer.EngineIO.Tests.Wire;

/// <summary>
/// Polls during an upgrade. In engine.io one thread reads the probe socket's bytes in order, so a GET the client sent
/// after <c>5</c> always finds the upgrade done (400). Here the GET may overtake a <c>2probe</c> and <c>5</c> already on
/// the wire; polls are released with noop only 100 ms after <c>2probe</c>, as engine.io's own upgrade check does, so such
/// a GET sees the upgrade complete and is refused as it would have been.
/// </summary>
public sealed class PollDuringUpgradeTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public async Task A_poll_that_arrives_during_the_upgrade_is_refused_when_the_upgrade_then_completes(int eio)
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync(eio);
        using var ws = await host.ProbeAsync(sid, eio);

        var poll = host.GetAsync($"EIO={eio}&transport=polling&sid={sid}");
        await PollingTests.WaitUntilPollIsHeld(host, sid);
        await Frames.SendTextAsync(ws, "5");

        var (status, body, _) = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", body);
        await Frames.SendTextAsync(ws, "4after upgrade");
        Assert.Equal("after upgrade", (await host.Handler.WaitForAsync<TextReceived>()).Text);
    }

    [Fact]
    public async Task A_poll_held_before_the_probe_is_refused_when_2probe_and_5_follow_at_once()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        var poll = host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await PollingTests.WaitUntilPollIsHeld(host, sid);
        using var ws = await host.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");

        await Frames.SendTextAsync(ws, "2probe");
        await Frames.SendTextAsync(ws, "5");

        Assert.Equal(HttpStatusCode.BadRequest, (await poll.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal("3probe", await Frames.ReceiveTextAsync(ws));
        await Frames.SendTextAsync(ws, "4after upgrade");
        Assert.Equal("after upgrade", (await host.Handler.WaitForAsync<TextReceived>()).Text);
    }

    [Fact]
    public async Task A_poll_that_arrives_during_an_upgrade_that_does_not_complete_gets_noop_after_100_ms()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        using var ws = await host.ProbeAsync(sid);

        var poll = host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await PollingTests.WaitUntilPollIsHeld(host, sid);
        Assert.False(poll.IsCompleted);
        host.Time.Advance(TimeSpan.FromMilliseconds(100));

        var (status, body, _) = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("6", body);
        Assert.Equal("polling", host.Handler.Sessions[sid].TransportName);
    }

    [Fact]
    public async Task A_packet_queued_while_such_a_poll_waits_is_written_to_it()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        using var ws = await host.ProbeAsync(sid);

        var poll = host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await PollingTests.WaitUntilPollIsHeld(host, sid);
        host.Handler.Sessions[sid].Send(EnginePacket.Text("during the upgrade"));

        Assert.Equal("4during the upgrade", (await poll.WaitAsync(TimeSpan.FromSeconds(10))).Body);
    }
}
