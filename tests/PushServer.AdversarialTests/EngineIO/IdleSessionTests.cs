using Microsoft.Extensions.Time.Testing;

namespace PushServer.AdversarialTests.EngineIO;

/// <summary>
/// Handshakes that are never used: a client opens a polling session and sends nothing more, by the thousand. Each
/// is gone at PingInterval + PingTimeout after its handshake, as in engine.io, whatever closed it first.
/// </summary>
public sealed class IdleSessionTests
{
    /// <summary>
    /// The connect timeout closes a session that never joined a namespace; a polling one then waits for a GET to carry
    /// the close, which an absent client never sends. Its heartbeat still ends it at PingInterval + PingTimeout, as
    /// engine.io's ping timer keeps running while a socket is closing (it lived another PollingCloseTimeout, 30 s).
    /// </summary>
    [Theory]
    [InlineData("4", 30)]
    [InlineData("3", 30)]
    [InlineData("4", 45)]
    [InlineData("3", 45)]
    public async Task An_unused_polling_handshake_is_gone_at_PingInterval_plus_PingTimeout(string eio, int connectTimeoutSeconds)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await AdversarialServer.StartAsync(
            o =>
            {
                o.PingInterval = TimeSpan.FromSeconds(25);
                o.PingTimeout = TimeSpan.FromSeconds(20);
                o.PollingCloseTimeout = TimeSpan.FromSeconds(30);
            },
            s => s.ConnectTimeout = TimeSpan.FromSeconds(connectTimeoutSeconds),
            time: time);
        var sids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            sids.Add(await server.OpenPollingAsync(eio));
        }

        for (var second = 1; second < 45; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(3, server.Engine.SessionCount);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, server.Engine.SessionCount);
        foreach (var sid in sids)
        {
            var response = await server.Http.GetAsync(server.Url($"EIO={eio}&transport=polling&sid={sid}"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(1, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetInt32());
        }
        await server.AssertHealthyAsync();
    }
}
