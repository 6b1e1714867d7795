using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using PushServer.EngineIO;

namespace PushServer.AdversarialTests.EngineIO;

/// <summary>
/// What one TCP connection may hold on the Socket.IO listener: a place under <c>MaxConnections</c> (past it a new
/// connection is reset at once, and the clients already connected are served as before), and no more than
/// <c>RequestHeadersTimeout</c> from its accept to the end of its first request head, however it drips the bytes.
/// The deadline runs on the engine's clock, here the test's.
/// </summary>
public sealed class ConnectionLimitTests
{
    private static readonly TimeSpan HeadersTimeout = EngineIOConnectionLimits.DefaultRequestHeadersTimeout;

    /// <summary>True when the server ended the connection: it reads as closed (end of stream, or a reset).</summary>
    private static bool IsClosedByServer(Socket socket) => socket.Poll(0, SelectMode.SelectRead);

    /// <summary>A new connection ends without an answer: reset before the connect completed, or right after.</summary>
    private static async Task AssertResetAtOnceAsync(AdversarialServer server)
    {
        Socket over;
        try
        {
            over = await RawTcp.ConnectAsync(server.EndPoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return;
        }
        using (over)
        {
            Assert.Equal("", await RawTcp.ReadAsync(over));
        }
    }

    [Fact]
    public async Task A_connection_that_sends_nothing_is_closed_when_RequestHeadersTimeout_passes()
    {
        var time = new FakeTimeProvider();
        var limits = new EngineIOConnectionLimits();
        await using var server = await AdversarialServer.StartAsync(time: time, limits: limits);
        var before = MetricCounters.Get(MetricCounters.EngineLimit, "request_headers_timeout");
        using var silent = await RawTcp.ConnectAsync(server.EndPoint);
        await Eventually.TrueAsync(() => limits.OpenConnections == 1, () => "the connection was not accepted");

        time.Advance(HeadersTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(IsClosedByServer(silent), "closed before its deadline");
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("", await RawTcp.ReadAsync(silent));
        await Eventually.TrueAsync(() => limits.TimedOutConnections == 1 && limits.OpenConnections == 0,
            () => $"timed out {limits.TimedOutConnections}, open {limits.OpenConnections}");
        Assert.Equal(before + 1, MetricCounters.Get(MetricCounters.EngineLimit, "request_headers_timeout"));
        Assert.Single(server.Log, e => e.EventId == 1017);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_request_head_dripped_a_byte_a_second_is_closed_at_the_deadline_counted_from_the_accept()
    {
        var time = new FakeTimeProvider();
        var limits = new EngineIOConnectionLimits();
        await using var server = await AdversarialServer.StartAsync(time: time, limits: limits);
        using var drip = await RawTcp.ConnectAsync(server.EndPoint);
        await Eventually.TrueAsync(() => limits.OpenConnections == 1, () => "the connection was not accepted");

        // One byte of a valid polling handshake every second: each one would restart a deadline that ran from the
        // last byte, and the head is never finished.
        var head = RawTcp.UpgradeRequest("EIO=4&transport=polling");
        var seconds = (int)HeadersTimeout.TotalSeconds;
        for (var i = 0; i < seconds; i++)
        {
            await RawTcp.SendAsync(drip, head[i].ToString());
            Assert.False(IsClosedByServer(drip), $"closed after {i} s");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        // One second more: the connection is counted open a moment before its deadline is set, so on a busy machine the
        // deadline can start from the first tick instead of the accept. A deadline restarted by each byte would still
        // be 8 s away.
        time.Advance(TimeSpan.FromSeconds(1));

        // No answer ever came, and the connection is gone: the rest of the head finds it closed.
        Assert.Equal("", await RawTcp.ReadAsync(drip));
        await Eventually.TrueAsync(() => limits.TimedOutConnections == 1 && limits.OpenConnections == 0,
            () => $"timed out {limits.TimedOutConnections}, open {limits.OpenConnections}");
        Assert.Equal(0, server.Engine.SessionCount);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_upgrade_whose_head_comes_in_pieces_within_the_deadline_is_served()
    {
        var time = new FakeTimeProvider();
        var limits = new EngineIOConnectionLimits();
        // Heartbeats longer than the clock moves here, so only the header deadline could close the session.
        await using var server = await AdversarialServer.StartAsync(
            o => (o.PingInterval, o.PingTimeout) = (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)), time: time, limits: limits);
        using var slow = await RawTcp.ConnectAsync(server.EndPoint);
        await Eventually.TrueAsync(() => limits.OpenConnections == 1, () => "the connection was not accepted");

        var head = RawTcp.UpgradeRequest("EIO=4&transport=websocket");
        var half = head.Length / 2;
        await RawTcp.SendAsync(slow, head[..half]);
        time.Advance(HeadersTimeout / 2);
        await RawTcp.SendAsync(slow, head[half..]);

        var answer = await RawTcp.ReadAsync(slow, until: "0{");
        Assert.StartsWith("HTTP/1.1 101", answer);
        Assert.Equal(0, limits.TimedOutConnections);
        // Past the deadline, the served connection stays (the deadline ended with its head).
        time.Advance(HeadersTimeout);
        Assert.False(IsClosedByServer(slow), "a served WebSocket was closed by the header deadline");
        Assert.Equal(1, server.Engine.WebSocketCount);
        RawTcp.Reset(slow);
        await Eventually.TrueAsync(() => limits.OpenConnections == 0, () => $"{limits.OpenConnections} connections open");
        await server.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public async Task A_polling_request_is_answered_without_waiting_for_the_deadline(string lineEnd)
    {
        var time = new FakeTimeProvider();
        var limits = new EngineIOConnectionLimits();
        await using var server = await AdversarialServer.StartAsync(time: time, limits: limits);
        using var client = await RawTcp.ConnectAsync(server.EndPoint);

        // Sent in two pieces, so the head's end is found across reads; Kestrel accepts lines ended by a bare LF too.
        var head = $"GET /socket.io/?EIO=4&transport=polling HTTP/1.1{lineEnd}Host: 127.0.0.1{lineEnd}Connection: close{lineEnd}{lineEnd}";
        await RawTcp.SendAsync(client, head[..^(lineEnd.Length + 1)]);
        await Eventually.TrueAsync(() => limits.OpenConnections == 1, () => "the connection was not accepted");
        await RawTcp.SendAsync(client, head[^(lineEnd.Length + 1)..]);

        var answer = await RawTcp.ReadAsync(client);
        Assert.StartsWith("HTTP/1.1 200", answer);
        Assert.Contains("\"sid\"", answer, StringComparison.Ordinal);
        Assert.Equal(0, limits.TimedOutConnections);
    }

    [Fact]
    public async Task Connections_past_MaxConnections_are_reset_at_once_and_connected_clients_keep_their_pushes()
    {
        var limits = new EngineIOConnectionLimits { MaxConnections = 3 };
        await using var server = await AdversarialServer.StartAsync(limits: limits);
        var before = MetricCounters.Get(MetricCounters.EngineLimit, "max_connections");
        var (client, _) = await server.ConnectWebSocketAsync();
        using var idle1 = await RawTcp.ConnectAsync(server.EndPoint);
        using var idle2 = await RawTcp.ConnectAsync(server.EndPoint);
        await Eventually.TrueAsync(() => limits.OpenConnections == 3, () => $"{limits.OpenConnections} connections open");

        // A flood past the cap: every one reset at once, counted, and logged once for all.
        const int flood = 20;
        for (var i = 0; i < flood; i++)
        {
            await AssertResetAtOnceAsync(server);
        }
        Assert.Equal(flood, limits.RefusedConnections);
        Assert.Equal(before + flood, MetricCounters.Get(MetricCounters.EngineLimit, "max_connections"));
        Assert.Single(server.Log, e => e.EventId == 1016);
        Assert.Equal(3, limits.OpenConnections);

        // The connected client is served meanwhile.
        server.Io.Of("/").Emit("news", "still here");
        Assert.Equal("42[\"news\",\"still here\"]", await Frames.ReceiveUntilAsync(client, f => f.StartsWith("42", StringComparison.Ordinal)));

        // Places come back as connections close: idle ones, a polling request served by Kestrel, the WebSocket.
        idle1.Dispose();
        idle2.Dispose();
        await Eventually.TrueAsync(() => limits.OpenConnections == 1, () => $"{limits.OpenConnections} connections open");
        var sid = await server.OpenPollingAsync();
        Assert.Equal("ok", await (await server.Http.PostAsync(server.Url("EIO=4&transport=polling&sid=" + sid), new StringContent("1"))).Content.ReadAsStringAsync());
        await Eventually.TrueAsync(() => limits.OpenConnections == 1, () => $"{limits.OpenConnections} connections open after polling");
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        client.Dispose();
        await Eventually.TrueAsync(() => limits.OpenConnections == 0, () => $"{limits.OpenConnections} connections open");
        await server.AssertHealthyAsync();
    }
}
