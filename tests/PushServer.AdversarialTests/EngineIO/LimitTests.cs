using Microsoft.Extensions.Time.Testing;

namespace PushServer.AdversarialTests.EngineIO;

/// <summary>
/// Connection limits: sessions, WebSockets and handshakes per address. Each refuses only the request past it, with
/// a documented status and body, a log line at Information and a count; the server serves the next client.
/// </summary>
public sealed class LimitTests
{
    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(4, body.GetProperty("code").GetInt32());
        Assert.Equal(message, body.GetProperty("message").GetString());
    }

    private static async Task CloseAsync(AdversarialServer server, string sid) =>
        Assert.Equal("ok", await (await server.Http.PostAsync(server.Url("EIO=4&transport=polling&sid=" + sid), new StringContent("1"))).Content.ReadAsStringAsync());

    [Fact]
    public async Task A_handshake_past_MaxSessions_gets_503_server_full()
    {
        await using var server = await AdversarialServer.StartAsync(o => o.MaxSessions = 2);
        var before = MetricCounters.Get(MetricCounters.EngineLimit, "max_sessions");
        var first = await server.OpenPollingAsync();
        var second = await server.OpenPollingAsync();
        await AssertRefusedAsync(await server.Http.GetAsync(server.Url("EIO=4&transport=polling")), HttpStatusCode.ServiceUnavailable, "Server full");
        Assert.Equal(before + 1, MetricCounters.Get(MetricCounters.EngineLimit, "max_sessions"));
        Assert.Contains(server.Log, e => e.Message.Contains("limit max_sessions", StringComparison.Ordinal));
        await CloseAsync(server, first);
        await CloseAsync(server, second);
        // A session closed by the client's POST stays findable for a moment, for a GET sent at the same time.
        await Eventually.TrueAsync(() => server.Engine.SessionCount == 0, () => "sessions left");
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_WebSocket_past_MaxWebSocketConnections_gets_503_and_polling_still_works()
    {
        await using var server = await AdversarialServer.StartAsync(o => o.MaxWebSocketConnections = 1);
        var before = MetricCounters.Get(MetricCounters.EngineLimit, "max_websockets");
        var (held, _) = await server.ConnectWebSocketAsync();

        using (var raw = await RawTcp.ConnectAsync(server.EndPoint))
        {
            await RawTcp.SendAsync(raw, RawTcp.UpgradeRequest("EIO=4&transport=websocket"));
            var answer = await RawTcp.ReadAsync(raw);
            Assert.StartsWith("HTTP/1.1 503", answer);
            Assert.EndsWith("Server full", answer);
        }
        var sid = await server.OpenPollingAsync();
        using (var probe = await RawTcp.ConnectAsync(server.EndPoint))
        {
            await RawTcp.SendAsync(probe, RawTcp.UpgradeRequest("EIO=4&transport=websocket&sid=" + sid));
            Assert.StartsWith("HTTP/1.1 503", await RawTcp.ReadAsync(probe));
        }
        Assert.Equal(before + 2, MetricCounters.Get(MetricCounters.EngineLimit, "max_websockets"));
        await CloseAsync(server, sid);
        await held.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        held.Dispose();
        // The one WebSocket allowed is free again only once the server has seen the close.
        await Eventually.TrueAsync(() => server.Engine.WebSocketCount == 0 && server.Engine.SessionCount == 0, () => "connections left");
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_handshake_flood_from_one_address_gets_429_until_the_next_second()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00.200Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await AdversarialServer.StartAsync(o => o.MaxHandshakesPerSecondPerIp = 3, time: time);
        var before = MetricCounters.Get(MetricCounters.EngineLimit, "handshake_rate");
        var sids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            sids.Add(await server.OpenPollingAsync());
        }
        for (var i = 0; i < 5; i++)
        {
            await AssertRefusedAsync(await server.Http.GetAsync(server.Url("EIO=4&transport=polling")), HttpStatusCode.TooManyRequests, "Too many handshakes");
        }
        Assert.Equal(before + 5, MetricCounters.Get(MetricCounters.EngineLimit, "handshake_rate"));
        time.Advance(TimeSpan.FromSeconds(1));
        sids.Add(await server.OpenPollingAsync());
        foreach (var sid in sids)
        {
            await CloseAsync(server, sid);
        }
        // The fresh client of the health check is in a new second too.
        time.Advance(TimeSpan.FromSeconds(1));
        await server.AssertHealthyAsync();
    }
}
