using Microsoft.Extensions.Time.Testing;

namespace PushServer.AdversarialTests.EngineIO;

/// <summary>
/// WebSockets that claim a polling session's id, as engine.io treats them: one upgrade attempt at a time, every other
/// WebSocket for the session closed at once, and a pending probe closed with its session. The upgrade timeout is long
/// here, so only those rules can close the sockets within the tests' waits.
/// </summary>
public sealed class UpgradeAttemptTests
{
    [Fact]
    public async Task A_second_websocket_for_a_sid_whose_first_sent_nothing_is_closed_at_once()
    {
        await using var server = await AdversarialServer.StartAsync(o => o.UpgradeTimeout = TimeSpan.FromMinutes(10));
        var sid = await server.OpenPollingAsync();
        using var first = new ClientWebSocket();
        await first.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket&sid=" + sid), AdversarialServer.Timeout());

        using var second = new ClientWebSocket();
        await second.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket&sid=" + sid), AdversarialServer.Timeout());

        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(second)).Type);
        // The first one is still the session's upgrade.
        await Frames.SendTextAsync(first, "2probe");
        Assert.Equal("3probe", await Frames.ReceiveTextAsync(first));
        await Frames.SendTextAsync(first, "5");
        await Frames.SendTextAsync(first, "40");
        Assert.StartsWith("40{", await Frames.ReceiveUntilAsync(first, f => f.StartsWith("40", StringComparison.Ordinal)));

        await first.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        await server.AssertHealthyAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pending_probe_is_closed_when_its_session_dies_by_ping_timeout(bool probed)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await AdversarialServer.StartAsync(
            o =>
            {
                o.PingInterval = TimeSpan.FromSeconds(25);
                o.PingTimeout = TimeSpan.FromSeconds(20);
                o.UpgradeTimeout = TimeSpan.FromHours(1);
            },
            s => s.ConnectTimeout = TimeSpan.FromHours(1),
            time: time);
        var sid = await server.OpenPollingAsync();
        using var probe = new ClientWebSocket();
        await probe.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket&sid=" + sid), AdversarialServer.Timeout());
        if (probed)
        {
            await Frames.SendTextAsync(probe, "2probe");
            Assert.Equal("3probe", await Frames.ReceiveTextAsync(probe));
        }

        time.Advance(TimeSpan.FromSeconds(25));
        time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(0, server.Engine.SessionCount);
        Assert.Equal(WebSocketMessageType.Close, (await Frames.ReceiveAsync(probe)).Type);
        await probe.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        await server.AssertHealthyAsync();
    }
}
