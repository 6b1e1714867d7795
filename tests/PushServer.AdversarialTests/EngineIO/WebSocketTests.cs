namespace PushServer.AdversarialTests.EngineIO;

/// <summary>
/// Bad input over raw WebSocket frames and upgrades, from the advisories of ws (CVE-2016-10542 oversize frames,
/// CVE-2021-32640 header floods, CVE-2024-37890 header counts) and engine.io (CVE-2022-41940 and CVE-2020-36048
/// oversize messages, GHSA-q9mw-68c2-j6m5 double upgrades): oversize and endless fragmented messages, broken frames,
/// data pipelined with the upgrade request, double and unfinished upgrades.
/// </summary>
public sealed class WebSocketTests : IAsyncLifetime
{
    private AdversarialServer _server = null!;

    public async Task InitializeAsync() => _server = await AdversarialServer.StartAsync(o =>
    {
        o.MaxHttpBufferSize = 10_000;
        o.MaxPendingWebSocketBytes = 20_000;
        // An unfinished upgrade must end before the heartbeat (1 s + 1 s) ends the polling session it belongs to.
        o.UpgradeTimeout = TimeSpan.FromMilliseconds(500);
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A raw WebSocket session joined to <c>/</c>.</summary>
    private async Task<RawWebSocket> JoinAsync()
    {
        var raw = await RawWebSocket.ConnectAsync(_server.EndPoint, "EIO=4&transport=websocket");
        Assert.StartsWith("0{", await raw.ReadTextAsync());
        await raw.SendTextAsync("40");
        Assert.StartsWith("40{", await raw.ReadTextAsync());
        return raw;
    }

    private static async Task EchoAsync(RawWebSocket raw, string text)
    {
        await raw.SendTextAsync($"429[\"echo\",\"{text}\"]");
        Assert.Equal($"439[\"{text}\"]", await raw.ReadTextAsync());
    }

    [Fact]
    public async Task A_message_over_maxHttpBufferSize_gets_close_1009()
    {
        using var raw = await JoinAsync();
        await raw.SendTextAsync("42[\"echo\",\"" + new string('x', 20_000) + "\"]");
        Assert.Equal(1009, await raw.ReadUntilClosedAsync());
        await _server.WaitForDisconnectAsync("transport error");
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_endless_fragmented_message_gets_close_1009_at_maxHttpBufferSize()
    {
        using var raw = await JoinAsync();
        var chunk = Encoding.ASCII.GetBytes(new string('x', 1000));
        await raw.SendFrameAsync(0x1, "42[\"echo\",\""u8, fin: false);
        for (var i = 0; i < 30; i++)
        {
            await raw.SendFrameAsync(0x0, chunk, fin: false);
        }
        Assert.Equal(1009, await raw.ReadUntilClosedAsync());
        await _server.WaitForDisconnectAsync("transport error");
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task Unfinished_messages_of_all_clients_together_are_capped_and_only_the_one_past_the_cap_is_closed()
    {
        var before = MetricCounters.Get(MetricCounters.EngineLimit, "pending_websocket_bytes");
        using var first = await JoinAsync();
        using var second = await JoinAsync();
        using var third = await JoinAsync();
        var chunk = Encoding.ASCII.GetBytes(new string('x', 4000));
        foreach (var raw in new[] { first, second })
        {
            await raw.SendFrameAsync(0x1, "42[\"echo\",\""u8, fin: false);
            await raw.SendFrameAsync(0x0, chunk, fin: false);
            await raw.SendFrameAsync(0x0, chunk, fin: false);
        }
        await Eventually.TrueAsync(() => _server.Engine.PendingWebSocketBytes >= 16_000, () => $"{_server.Engine.PendingWebSocketBytes} bytes pending");
        await third.SendFrameAsync(0x1, "42[\"echo\",\""u8, fin: false);
        await third.SendFrameAsync(0x0, chunk, fin: false);
        Assert.Equal(1009, await third.ReadUntilClosedAsync());
        Assert.Equal(before + 1, MetricCounters.Get(MetricCounters.EngineLimit, "pending_websocket_bytes"));
        Assert.Contains(_server.Log, e => e.Message.Contains("unfinished WebSocket messages", StringComparison.Ordinal));

        // The other two finish their messages and are answered.
        foreach (var raw in new[] { first, second })
        {
            await raw.SendFrameAsync(0x0, "\"]"u8, fin: true);
            await EchoAsync(raw, "finished");
        }
        first.Dispose();
        second.Dispose();
        await _server.AssertHealthyAsync();
    }

    /// <summary>
    /// Frames RFC 6455 tells a server to fail the connection over, each with the close code the reference (ws)
    /// answers with: 1002 for a protocol error, 1007 for text that is not UTF-8.
    /// </summary>
    public static TheoryData<string, byte[], int> BrokenFrames => new()
    {
        { "unmasked text frame", RawTcp.Frame(0x1, "429[\"echo\",\"x\"]"u8, masked: false), 1002 },
        // Four payload bytes or more: the server reads the six bytes a masked header needs before it judges the frame.
        { "unmasked ping", RawTcp.Frame(0x9, "ping"u8, masked: false), 1002 },
        { "reserved data opcode", RawTcp.Frame(0x3, "42[\"echo\"]"u8), 1002 },
        { "reserved control opcode", RawTcp.Frame(0xB, "x"u8), 1002 },
        { "RSV1 without compression", WithReservedBits(RawTcp.Frame(0x1, "42[\"echo\"]"u8), 0x40), 1002 },
        { "RSV2", WithReservedBits(RawTcp.Frame(0x1, "42[\"echo\"]"u8), 0x20), 1002 },
        { "RSV3", WithReservedBits(RawTcp.Frame(0x1, "42[\"echo\"]"u8), 0x10), 1002 },
        { "fragmented ping", RawTcp.Frame(0x9, "x"u8, fin: false), 1002 },
        { "continuation without start", RawTcp.Frame(0x0, "42"u8), 1002 },
        { "invalid UTF-8 text", RawTcp.Frame(0x1, [(byte)'4', 0xC3, 0x28]), 1007 },
        { "64-bit length with the top bit set", [0x81, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4], 1002 },
        { "control frame over 125 bytes", RawTcp.Frame(0x9, new byte[200]), 1002 },
    };

    private static byte[] WithReservedBits(byte[] frame, byte bits)
    {
        frame[0] |= bits;
        return frame;
    }

    [Theory]
    [MemberData(nameof(BrokenFrames))]
    public async Task Broken_frames_get_a_close_frame_and_close_only_that_connection(string kind, byte[] frame, int closeCode)
    {
        Assert.NotEmpty(kind);
        using var bystander = await JoinAsync();
        using var raw = await JoinAsync();
        await raw.Socket.SendAsync(frame);
        // The close frame arrives before the connection ends: a reset in its place would lose the code.
        Assert.Equal(closeCode, await raw.ReadUntilClosedAsync());
        Assert.Null(await raw.ReadFrameAsync());
        await _server.WaitForDisconnectAsync("transport error");
        await EchoAsync(bystander, "unaffected");
        bystander.Dispose();
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_unmasked_probe_gets_close_1002_and_polling_carries_on()
    {
        var sid = await _server.OpenPollingAsync();
        var url = _server.Url("EIO=4&transport=polling&sid=" + sid);
        using var raw = await RawWebSocket.ConnectAsync(_server.EndPoint, "EIO=4&transport=websocket&sid=" + sid);
        await raw.Socket.SendAsync(RawTcp.Frame(0x1, "2probe"u8, masked: false));
        Assert.Equal(1002, await raw.ReadUntilClosedAsync());
        Assert.Null(await raw.ReadFrameAsync());
        Assert.Equal("ok", await (await _server.Http.PostAsync(url, new StringContent("40"))).Content.ReadAsStringAsync());
        var records = (await _server.Http.GetStringAsync(url)).Split('\u001e');
        Assert.Contains(records, r => r.StartsWith("40{", StringComparison.Ordinal));
        Assert.Equal("ok", await (await _server.Http.PostAsync(url, new StringContent("1"))).Content.ReadAsStringAsync());
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task Packets_sent_with_the_upgrade_request_are_read_after_the_handshake()
    {
        var pipelined = RawTcp.Frame(0x1, "40"u8).Concat(RawTcp.Frame(0x1, "421[\"echo\",\"early\"]"u8)).ToArray();
        using var raw = await RawWebSocket.ConnectAsync(_server.EndPoint, "EIO=4&transport=websocket", sentWithRequest: pipelined);
        Assert.StartsWith("0{", await raw.ReadTextAsync());
        Assert.StartsWith("40{", await raw.ReadTextAsync());
        Assert.Equal("431[\"early\"]", await raw.ReadTextAsync());
        raw.Dispose();
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_probe_pipelined_with_the_upgrade_request_is_answered()
    {
        var sid = await _server.OpenPollingAsync();
        using var raw = await RawWebSocket.ConnectAsync(_server.EndPoint, "EIO=4&transport=websocket&sid=" + sid, sentWithRequest: RawTcp.Frame(0x1, "2probe"u8));
        Assert.Equal("3probe", await raw.ReadTextAsync());
        await raw.SendTextAsync("5");
        await raw.SendTextAsync("40");
        Assert.StartsWith("40{", await raw.ReadTextAsync());
        raw.Dispose();
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_second_upgrade_of_one_session_is_closed_at_once_and_the_first_carries_on()
    {
        var sid = await _server.OpenPollingAsync();
        using var first = new ClientWebSocket();
        await first.ConnectAsync(_server.WebSocketUri("EIO=4&transport=websocket&sid=" + sid), AdversarialServer.Timeout());
        await Frames.SendTextAsync(first, "2probe");
        Assert.Equal("3probe", await Frames.ReceiveTextAsync(first));

        using var second = new ClientWebSocket();
        await second.ConnectAsync(_server.WebSocketUri("EIO=4&transport=websocket&sid=" + sid), AdversarialServer.Timeout());
        await Frames.SendTextAsync(second, "2probe");
        await Frames.AssertClosedByServerAsync(second);

        await Frames.SendTextAsync(first, "5");
        await Frames.SendTextAsync(first, "40");
        Assert.StartsWith("40{", await Frames.ReceiveUntilAsync(first, f => f.StartsWith("40", StringComparison.Ordinal)));

        using var third = new ClientWebSocket();
        await third.ConnectAsync(_server.WebSocketUri("EIO=4&transport=websocket&sid=" + sid), AdversarialServer.Timeout());
        await Frames.AssertClosedByServerAsync(third);
        await first.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        await _server.AssertHealthyAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_upgrade_that_never_finishes_is_closed_and_polling_carries_on(bool probed)
    {
        var sid = await _server.OpenPollingAsync();
        var url = _server.Url("EIO=4&transport=polling&sid=" + sid);
        using var probe = new ClientWebSocket();
        await probe.ConnectAsync(_server.WebSocketUri("EIO=4&transport=websocket&sid=" + sid), AdversarialServer.Timeout());
        if (probed)
        {
            await Frames.SendTextAsync(probe, "2probe");
            Assert.Equal("3probe", await Frames.ReceiveTextAsync(probe));
        }
        // No "5": upgradeTimeout closes the probe.
        await Frames.AssertClosedByServerAsync(probe);
        Assert.Equal("ok", await (await _server.Http.PostAsync(url, new StringContent("40"))).Content.ReadAsStringAsync());
        // The heartbeat's ping may come first in the same payload: polling carries on with it.
        var records = (await _server.Http.GetStringAsync(url)).Split('\u001e');
        Assert.Contains(records, r => r.StartsWith("40{", StringComparison.Ordinal));
        Assert.Equal("ok", await (await _server.Http.PostAsync(url, new StringContent("1"))).Content.ReadAsStringAsync());
        await _server.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("a thousand headers", 1000, 10)]
    [InlineData("one 64 KiB header", 1, 64 * 1024)]
    public async Task Header_floods_get_431(string kind, int count, int size)
    {
        Assert.NotEmpty(kind);
        using var socket = await RawTcp.ConnectAsync(_server.EndPoint);
        var headers = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            headers.Append("X-Flood-").Append(i).Append(": ").Append('v', size).Append("\r\n");
        }
        await RawTcp.SendAsync(socket, RawTcp.UpgradeRequest("EIO=4&transport=websocket", headers.ToString()));
        Assert.StartsWith("HTTP/1.1 431", await RawTcp.ReadAsync(socket, "\r\n"));
        await _server.AssertHealthyAsync();
    }

    public enum Stage
    {
        RequestLine,
        Headers,
        HandshakeSent,
        HeldPoll,
        PostBody,
        UpgradeSent,
        MidFrame,
        AfterProbe,
        Connected,
    }

    [Theory]
    [InlineData(Stage.RequestLine)]
    [InlineData(Stage.Headers)]
    [InlineData(Stage.HandshakeSent)]
    [InlineData(Stage.HeldPoll)]
    [InlineData(Stage.PostBody)]
    [InlineData(Stage.UpgradeSent)]
    [InlineData(Stage.MidFrame)]
    [InlineData(Stage.AfterProbe)]
    [InlineData(Stage.Connected)]
    public async Task A_TCP_reset_at_any_stage_leaves_nothing_behind(Stage stage)
    {
        switch (stage)
        {
            case Stage.RequestLine:
            case Stage.Headers:
            case Stage.HandshakeSent:
            {
                var socket = await RawTcp.ConnectAsync(_server.EndPoint);
                var request = "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n";
                var cut = stage switch { Stage.RequestLine => 20, Stage.Headers => request.IndexOf("Accept", StringComparison.Ordinal) + 3, _ => request.Length };
                await RawTcp.SendAsync(socket, request[..cut]);
                if (stage == Stage.HandshakeSent)
                {
                    await Eventually.TrueAsync(() => _server.Engine.SessionCount == 1, () => "no session opened");
                }
                RawTcp.Reset(socket);
                break;
            }
            case Stage.HeldPoll:
            case Stage.PostBody:
            {
                var sid = await _server.OpenPollingAsync();
                var socket = await RawTcp.ConnectAsync(_server.EndPoint);
                var request = stage == Stage.HeldPoll
                    ? $"GET /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: x\r\n\r\n"
                    : $"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n42[\"ec";
                await RawTcp.SendAsync(socket, request);
                await Eventually.TrueAsync(() => _server.InFlightRequests == 1, () => "request not started");
                RawTcp.Reset(socket);
                break;
            }
            case Stage.UpgradeSent:
            {
                var socket = await RawTcp.ConnectAsync(_server.EndPoint);
                await RawTcp.SendAsync(socket, RawTcp.UpgradeRequest("EIO=4&transport=websocket"));
                RawTcp.Reset(socket);
                break;
            }
            case Stage.MidFrame:
            {
                var raw = await JoinAsync();
                var frame = RawTcp.Frame(0x1, Encoding.ASCII.GetBytes("42[\"echo\",\"" + new string('x', 5000) + "\"]"));
                await raw.Socket.SendAsync(frame.AsMemory(0, 2000));
                raw.Reset();
                break;
            }
            case Stage.AfterProbe:
            {
                var sid = await _server.OpenPollingAsync();
                var raw = await RawWebSocket.ConnectAsync(_server.EndPoint, "EIO=4&transport=websocket&sid=" + sid);
                await raw.SendTextAsync("2probe");
                Assert.Equal("3probe", await raw.ReadTextAsync());
                raw.Reset();
                // The polling session lives on until its heartbeat runs out.
                break;
            }
            case Stage.Connected:
            {
                var raw = await JoinAsync();
                await raw.SendTextAsync("42[\"join\",\"a room\"]");
                raw.Reset();
                break;
            }
        }
        await _server.AssertHealthyAsync();
    }
}
