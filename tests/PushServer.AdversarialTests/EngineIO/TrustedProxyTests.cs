using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace PushServer.AdversarialTests.EngineIO;

/// <summary>
/// Behind a reverse proxy every client has the proxy's address, so a per-address limit would count them all as one.
/// With the proxy trusted (<see cref="EngineIOOptions.TrustedProxies"/>) its <c>X-Forwarded-For</c> names the client,
/// on both ways in: the HTTP path and WebSockets taken below it. Without, the header is ignored, since anyone can send it.
/// </summary>
public sealed class TrustedProxyTests
{
    private static readonly IPNetwork Loopback = IPNetwork.Parse("127.0.0.0/8");

    private static Task<AdversarialServer> StartAsync(bool trustLoopback, FakeTimeProvider time) =>
        AdversarialServer.StartAsync(o =>
        {
            o.MaxHandshakesPerSecondPerIp = 1;
            if (trustLoopback)
            {
                o.TrustedProxies = [Loopback];
            }
        }, time: time);

    private static FakeTimeProvider Clock() =>
        new(DateTimeOffset.Parse("2026-01-01T00:00:00.200Z", System.Globalization.CultureInfo.InvariantCulture));

    private static Task<HttpResponseMessage> PollingHandshakeAsync(AdversarialServer server, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Url("EIO=4&transport=polling"));
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return server.Http.SendAsync(request);
    }

    /// <summary>A WebSocket handshake on a raw connection, which stays open (and its session with it) until disposed.</summary>
    private static async Task<(Socket Connection, string Head)> WebSocketHandshakeAsync(
        AdversarialServer server, string forwardedFor, string until = "pingInterval")
    {
        var raw = await RawTcp.ConnectAsync(server.EndPoint);
        await RawTcp.SendAsync(raw, RawTcp.UpgradeRequest("EIO=4&transport=websocket", $"X-Forwarded-For: {forwardedFor}\r\n"));
        // A 101 is followed by the open packet, sent once the session exists.
        return (raw, await RawTcp.ReadAsync(raw, until));
    }

    private static async Task<string> RefusedWebSocketHandshakeAsync(AdversarialServer server, string forwardedFor)
    {
        // Kestrel keeps the connection open after the refusal: read to the end of its body.
        var (connection, head) = await WebSocketHandshakeAsync(server, forwardedFor, until: "Too many handshakes");
        connection.Dispose();
        return head;
    }

    private static string AddressOfSession(AdversarialServer server, string sid) =>
        server.Engine.OpenSessions.Single(s => s.Id == sid).Handshake.RemoteAddress;

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_handshake_limit_and_address()
    {
        var time = Clock();
        await using var server = await StartAsync(trustLoopback: true, time);

        var first = await PollingHandshakeAsync(server, "198.51.100.9, 203.0.113.1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var sid = JsonDocument.Parse((await first.Content.ReadAsStringAsync())[1..]).RootElement.GetProperty("sid").GetString()!;
        // The entry the proxy appended, not the one the client wrote before it.
        Assert.Equal("203.0.113.1", AddressOfSession(server, sid));
        Assert.Equal(HttpStatusCode.OK, (await PollingHandshakeAsync(server, "203.0.113.2")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PollingHandshakeAsync(server, "203.0.113.1")).StatusCode);
        Assert.Contains(server.Log, e => e.Message.Contains("limit handshake_rate", StringComparison.Ordinal) && e.Message.Contains("203.0.113.1", StringComparison.Ordinal));

        var (open, head) = await WebSocketHandshakeAsync(server, "203.0.113.3");
        using (open)
        {
            Assert.StartsWith("HTTP/1.1 101", head);
            Assert.Contains(server.Engine.OpenSessions, s => s.Handshake.RemoteAddress == "203.0.113.3");
        }
        Assert.StartsWith("HTTP/1.1 429", await RefusedWebSocketHandshakeAsync(server, "203.0.113.3"));
        var (other, accepted) = await WebSocketHandshakeAsync(server, "203.0.113.4");
        using (other)
        {
            Assert.StartsWith("HTTP/1.1 101", accepted);
        }
    }

    [Fact]
    public async Task Without_trusted_proxies_the_forwarded_header_changes_nothing()
    {
        var time = Clock();
        await using var server = await StartAsync(trustLoopback: false, time);

        var first = await PollingHandshakeAsync(server, "203.0.113.1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var sid = JsonDocument.Parse((await first.Content.ReadAsStringAsync())[1..]).RootElement.GetProperty("sid").GetString()!;
        Assert.Equal("127.0.0.1", AddressOfSession(server, sid));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PollingHandshakeAsync(server, "203.0.113.2")).StatusCode);
        Assert.StartsWith("HTTP/1.1 429", await RefusedWebSocketHandshakeAsync(server, "203.0.113.3"));
    }
}
