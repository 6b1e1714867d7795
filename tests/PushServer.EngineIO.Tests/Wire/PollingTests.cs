using System.IO.Compression;

namespace PushServer.EngineIO.Tests.Wire;

public class PollingTests
{
    [Fact]
    public async Task Messages_travel_both_ways_in_a_v4_payload()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();

        var (postStatus, postBody) = await host.PostAsync($"EIO=4&transport=polling&sid={sid}", "4hello\u001e4world");
        Assert.Equal(HttpStatusCode.OK, postStatus);
        Assert.Equal("ok", postBody);
        Assert.Equal("hello", (await host.Handler.WaitForAsync<TextReceived>()).Text);
        Assert.Equal("world", (await host.Handler.WaitForAsync<TextReceived>()).Text);

        var session = host.Handler.Sessions[sid];
        session.Send(EnginePacket.Text("one"));
        session.Send(EnginePacket.Binary([1, 2, 3]));
        var (_, body, _) = await host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.Equal("4one\u001ebAQID", body);
    }

    [Fact]
    public async Task A_waiting_poll_is_answered_as_soon_as_a_packet_is_sent()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();

        var poll = host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.False(poll.IsCompleted);
        host.Handler.Sessions[sid].Send(EnginePacket.Text("late"));

        Assert.Equal("4late", (await poll.WaitAsync(TimeSpan.FromSeconds(10))).Body);
    }

    [Fact]
    public async Task V4_binary_POST_is_decoded_from_base64()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        await host.PostAsync($"EIO=4&transport=polling&sid={sid}", "bAQIDBA==");
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, (await host.Handler.WaitForAsync<BinaryReceived>()).Data);
    }

    [Fact]
    public async Task V3_session_receives_binary_in_the_XHR2_framing()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync(eio: 3);
        var session = host.Handler.Sessions[sid];
        session.Send(EnginePacket.Text("hello"));
        session.Send(EnginePacket.Binary([1, 2, 3, 4]));

        var response = await host.Http.GetAsync($"engine.io/?EIO=3&transport=polling&sid={sid}");

        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            new byte[] { 0x00, 0x06, 0xFF, 0x34, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x01, 0x05, 0xFF, 0x04, 0x01, 0x02, 0x03, 0x04 },
            await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task V3_session_that_asked_for_base64_gets_b4_records()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync(eio: 3, extraQuery: "&b64=1");
        var session = host.Handler.Sessions[sid];
        session.Send(EnginePacket.Text("hello"));
        session.Send(EnginePacket.Binary([1, 2, 3, 4]));

        var (_, body, _) = await host.GetAsync($"EIO=3&transport=polling&sid={sid}&b64=1");

        Assert.Equal("6:4hello10:b4AQIDBA==", body);
    }

    [Fact]
    public async Task V3_text_and_binary_POSTs_are_decoded()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync(eio: 3);

        await host.PostAsync($"EIO=3&transport=polling&sid={sid}", "2:4€10:b4AQIDBA==");
        Assert.Equal("€", (await host.Handler.WaitForAsync<TextReceived>()).Text);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, (await host.Handler.WaitForAsync<BinaryReceived>()).Data);

        await host.PostBytesAsync($"EIO=3&transport=polling&sid={sid}", [0, 6, 255, 0x34, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 1, 3, 255, 4, 9, 8], "application/octet-stream");
        Assert.Equal("hello", (await host.Handler.WaitForAsync<TextReceived>()).Text);
        Assert.Equal(new byte[] { 9, 8 }, (await host.Handler.WaitForAsync<BinaryReceived>()).Data);
    }

    [Fact]
    public async Task Jsonp_POST_is_a_form_with_escaped_newlines()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (_, handshake, _) = await host.GetAsync("EIO=3&transport=polling&j=0");
        var sid = handshake.Substring(handshake.IndexOf("\\u0022sid\\u0022:\\u0022", StringComparison.Ordinal) + 22, 20);
        await host.Handler.WaitForAsync<Opened>();

        var form = "d=" + Uri.EscapeDataString("6:4a\\nb c");
        var (status, body) = await host.PostAsync($"EIO=3&transport=polling&sid={sid}&j=0", form, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body);
        Assert.Equal("a\nb c", (await host.Handler.WaitForAsync<TextReceived>()).Text);

        host.Handler.Sessions[sid].Send(EnginePacket.Text("x"));
        var (_, poll, _) = await host.GetAsync($"EIO=3&transport=polling&sid={sid}&j=0");
        Assert.Equal("___eio[0](\"2:4x\");", poll);
    }

    [Fact]
    public async Task A_second_concurrent_poll_closes_the_session()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        var first = host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await WaitUntilPollIsHeld(host, sid);

        var (secondStatus, secondBody, _) = await host.GetAsync($"EIO=4&transport=polling&sid={sid}");

        Assert.Equal(HttpStatusCode.BadRequest, secondStatus);
        Assert.Equal("", secondBody);
        Assert.Equal("1", (await first.WaitAsync(TimeSpan.FromSeconds(10))).Body);
        Assert.Equal(EngineCloseReason.TransportError, (await host.Handler.WaitForAsync<Closed>()).Reason);
        var (laterStatus, laterBody, _) = await host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.Equal(HttpStatusCode.BadRequest, laterStatus);
        Assert.Equal("{\"code\":1,\"message\":\"Session ID unknown\"}", laterBody);
    }

    [Fact]
    public async Task An_oversize_POST_gets_413_and_the_session_lives_on()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.MaxHttpBufferSize = 100);
        var sid = await host.OpenPollingAsync();

        var (status, _) = await host.PostAsync($"EIO=4&transport=polling&sid={sid}", "4" + new string('x', 200));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);

        var (okStatus, _) = await host.PostAsync($"EIO=4&transport=polling&sid={sid}", "4small");
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal("small", (await host.Handler.WaitForAsync<TextReceived>()).Text);
        Assert.True(host.Handler.Sessions[sid].IsOpen);
    }

    [Fact]
    public async Task A_v4_POST_declared_as_binary_closes_the_session()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        var (status, _) = await host.PostBytesAsync($"EIO=4&transport=polling&sid={sid}", [1, 2], "application/octet-stream");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(EngineCloseReason.TransportError, (await host.Handler.WaitForAsync<Closed>()).Reason);
    }

    [Fact]
    public async Task A_malformed_payload_closes_the_session_with_parse_error()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        await host.PostAsync($"EIO=4&transport=polling&sid={sid}", "4good\u001e9bad");

        Assert.Equal("good", (await host.Handler.WaitForAsync<TextReceived>()).Text);
        Assert.Equal(EngineCloseReason.ParseError, (await host.Handler.WaitForAsync<Closed>()).Reason);
        var (status, _, _) = await host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task A_client_close_packet_answers_the_waiting_poll_with_noop()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync(eio: 3);
        var poll = host.GetAsync($"EIO=3&transport=polling&sid={sid}");
        await WaitUntilPollIsHeld(host, sid);

        await host.PostAsync($"EIO=3&transport=polling&sid={sid}", "1:1");

        Assert.Equal("1:6", (await poll.WaitAsync(TimeSpan.FromSeconds(10))).Body);
        Assert.Equal(EngineCloseReason.TransportClose, (await host.Handler.WaitForAsync<Closed>()).Reason);
        Assert.Equal(1, host.Handler.CloseCounts[sid]);
    }

    [Fact]
    public async Task A_server_close_flushes_queued_packets_then_sends_the_close_packet_in_a_response_of_its_own()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        var session = host.Handler.Sessions[sid];
        session.Send(EnginePacket.Text("bye"));

        session.Close();

        Assert.Equal(EngineCloseReason.ForcedClose, (await host.Handler.WaitForAsync<Closed>()).Reason);
        Assert.False(session.Send(EnginePacket.Text("too late")));
        // As the reference does: the queued packets in one response, the close alone in the next. A client handles
        // what comes with a close only after its disconnect (socket.io-client defers packets to the next tick).
        Assert.Equal("4bye", (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Body);
        Assert.Equal("1", (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Body);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.GetAsync($"EIO=4&transport=polling&sid={sid}")).Status);
    }

    [Fact]
    public async Task Stopping_the_server_releases_waiting_polls_with_the_close_packet()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        var poll = host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await WaitUntilPollIsHeld(host, sid);

        host.Engine.CloseAll();

        Assert.Equal("1", (await poll.WaitAsync(TimeSpan.FromSeconds(10))).Body);
        Assert.Equal(EngineCloseReason.ServerShuttingDown, (await host.Handler.WaitForAsync<Closed>()).Reason);
    }

    [Fact]
    public async Task Large_poll_responses_are_gzipped_when_the_client_accepts_it()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        var big = new string('a', 2000);
        host.Handler.Sessions[sid].Send(EnginePacket.Text(big));

        var (_, _, response) = await host.GetAsync($"EIO=4&transport=polling&sid={sid}", r => r.Headers.AcceptEncoding.ParseAdd("gzip"));

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        Assert.Equal("4" + big, await new StreamReader(gzip, Encoding.UTF8).ReadToEndAsync());
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_once_its_backlog_reaches_the_cap()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.MaxOutboundQueueBytes = 1000);
        var sid = await host.OpenPollingAsync();
        var session = host.Handler.Sessions[sid];
        var chunk = EnginePacket.Text(new string('x', 300));

        // 301 bytes each: the fourth still finds less than the cap ahead of it (903), the fifth finds more (1204).
        Assert.True(session.Send(chunk));
        Assert.True(session.Send(chunk));
        Assert.True(session.Send(chunk));
        Assert.True(session.Send(chunk));
        Assert.False(session.Send(chunk));

        Assert.Equal(EngineCloseReason.OutboundQueueFull, (await host.Handler.WaitForAsync<Closed>()).Reason);
        Assert.False(session.IsOpen);
    }

    [Fact]
    public async Task One_packet_larger_than_the_cap_is_queued_when_nothing_waits_ahead_of_it()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.MaxOutboundQueueBytes = 1000);
        var sid = await host.OpenPollingAsync();
        var session = host.Handler.Sessions[sid];
        var large = new string('x', 3000);

        Assert.True(session.Send(EnginePacket.Text(large)));
        Assert.True(session.IsOpen);
        var (_, body, _) = await host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.Equal("4" + large, body);

        // Behind it, though, the backlog is past the cap: the next packet finds too much queued ahead of it.
        Assert.True(session.Send(EnginePacket.Text(large)));
        Assert.False(session.Send(EnginePacket.Text("x")));
        Assert.Equal(EngineCloseReason.OutboundQueueFull, (await host.Handler.WaitForAsync<Closed>()).Reason);
    }

    [Fact]
    public async Task Volatile_packets_are_dropped_unless_a_poll_is_waiting()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        var session = host.Handler.Sessions[sid];

        Assert.False(session.SendVolatile(EnginePacket.Text("dropped")));
        var poll = host.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await WaitUntilPollIsHeld(host, sid);
        Assert.True(session.SendVolatile(EnginePacket.Text("kept")));

        Assert.Equal("4kept", (await poll.WaitAsync(TimeSpan.FromSeconds(10))).Body);
    }

    /// <summary>Polls the session's writability until the server holds the GET (no fixed sleep).</summary>
    internal static async Task WaitUntilPollIsHeld(EngineTestHost host, string sid)
    {
        var session = (Sessions.EngineSession)host.Handler.Sessions[sid];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!session.Transport.IsWritableNow)
        {
            await Task.Delay(5, cts.Token);
        }
    }
}
