using Microsoft.Extensions.Logging;

namespace PushServer.EngineIO.Tests.Wire;

public class OptionsTests
{
    [Fact]
    public async Task PerMessageDeflate_is_negotiated_only_when_enabled()
    {
        foreach (var enabled in new[] { false, true })
        {
            await using var host = await EngineTestHost.StartAsync(o => o.PerMessageDeflate = enabled);
            using var ws = new ClientWebSocket();
            ws.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
            ws.Options.CollectHttpResponseDetails = true;
            await ws.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"), CancellationToken.None);

            var negotiated = ws.HttpResponseHeaders!.TryGetValue("Sec-WebSocket-Extensions", out var values)
                && values.Any(v => v.Contains("permessage-deflate", StringComparison.Ordinal));
            Assert.Equal(enabled, negotiated);
            Assert.StartsWith("0{", await Frames.ReceiveTextAsync(ws));
        }
    }

    [Fact]
    public async Task Upgrades_are_not_offered_when_disallowed()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.AllowUpgrades = false);
        var (_, body, _) = await host.GetAsync("EIO=4&transport=polling");
        Assert.Contains("\"upgrades\":[]", body);
    }

    [Fact]
    public async Task Configured_heartbeat_and_payload_limits_are_advertised()
    {
        await using var host = await EngineTestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(300);
            o.PingTimeout = TimeSpan.FromMilliseconds(200);
            o.MaxHttpBufferSize = 5000;
        });
        var (_, body, _) = await host.GetAsync("EIO=4&transport=polling");
        Assert.Contains("\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":5000", body);
    }

    [Fact]
    public async Task Client_mistakes_log_nothing_above_Information()
    {
        await using var host = await EngineTestHost.StartAsync();
        await host.GetAsync("EIO=4&transport=nope");
        await host.GetAsync("EIO=4&transport=polling&sid=unknown");
        await host.PostAsync("EIO=4&transport=polling", "4x");
        var sid = await host.OpenPollingAsync();
        await host.PostAsync($"EIO=4&transport=polling&sid={sid}", "9garbage");
        await host.Handler.WaitForAsync<Closed>();

        // The log is shared by every test of the run; a refused origin (1018, 1019) is the one refusal logged at Warning,
        // by design and once per origin (CorsTests, RefusedOriginLogTests), and this test sends no Origin.
        var loud = TestLog.AtLeast(LogLevel.Warning)
            .Where(e => e.Category.StartsWith("PushServer.EngineIO", StringComparison.Ordinal) && e.EventId is not (1018 or 1019))
            .ToList();
        Assert.Empty(loud);
    }
}
