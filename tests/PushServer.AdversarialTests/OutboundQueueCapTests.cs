namespace PushServer.AdversarialTests;

/// <summary>
/// The outbound queue cap is about backlog, not about one packet: a packet that finds less than the cap queued ahead
/// of it is taken whatever its size, so a client that reads is never disconnected for a single large packet; a client
/// that stops reading is disconnected once what waits for it reaches the cap (see also <see cref="SlowConsumerTests"/>).
/// </summary>
public sealed class OutboundQueueCapTests
{
    /// <summary>
    /// 110,000 emoji: 440,000 bytes of UTF-8 from the client, under <c>MaxHttpBufferSize</c>; written back as JSON
    /// each becomes an escaped surrogate pair (12 bytes), 1.32 MB, more than the whole 1 MiB queue cap.
    /// </summary>
    private static readonly string Emoji = string.Concat(Enumerable.Repeat("\U0001F600", 110_000));

    // The emoji go as they are, as JSON.stringify leaves them; escaped they would pass MaxHttpBufferSize on the way in.
    private static readonly string EchoPacket = "421[\"echo\",\"" + Emoji + "\"]";

    [Theory]
    [InlineData("4", "websocket")]
    [InlineData("3", "websocket")]
    [InlineData("4", "polling")]
    [InlineData("3", "polling")]
    public async Task A_reply_larger_than_the_queue_cap_reaches_a_client_with_nothing_queued(string eio, string transport)
    {
        await using var server = await AdversarialServer.StartAsync();

        var ack = transport == "websocket" ? await EchoOverWebSocketAsync(server, eio) : await EchoOverPollingAsync(server, eio);

        Assert.StartsWith("431[", ack);
        Assert.Equal(Emoji, JsonDocument.Parse(ack[3..]).RootElement[0].GetString());
        Assert.DoesNotContain("outbound queue full", server.DisconnectReasons);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_client_with_a_backlog_under_the_cap_takes_one_more_packet_and_is_disconnected_once_the_backlog_reaches_it()
    {
        // No heartbeat during the test: a ping queued for the client would sit among the packets it asserts on.
        await using var server = await AdversarialServer.StartAsync(o => o.PingInterval = TimeSpan.FromMinutes(1));
        var (sid, joined) = await JoinPollingAsync(server, "4");
        var socketId = joined!;
        // More than half the 1 MiB cap each: the second finds the first still waiting, the client not having polled.
        var large = new string('x', 600_000);

        server.Io.To(socketId).Emit("large", large);
        server.Io.To(socketId).Emit("large", large);

        Assert.Empty(server.DisconnectReasons);
        Assert.True(server.Engine.OutboundQueueBytes > 1024 * 1024, $"{server.Engine.OutboundQueueBytes} bytes queued");
        var expected = "4" + "2[\"large\",\"" + large + "\"]";
        Assert.Equal(expected + "\u001e" + expected, await server.Http.GetStringAsync(server.Url($"EIO=4&transport=polling&sid={sid}")));

        // A client that stops polling: the third packet finds the cap's worth queued ahead of it.
        server.Io.To(socketId).Emit("large", large);
        server.Io.To(socketId).Emit("large", large);
        Assert.Empty(server.DisconnectReasons);
        server.Io.To(socketId).Emit("large", large);
        await server.WaitForDisconnectAsync("outbound queue full");
        await Eventually.TrueAsync(() => server.Engine.OutboundQueueBytes == 0, () => $"{server.Engine.OutboundQueueBytes} bytes still queued");
        await server.AssertHealthyAsync();
    }

    private static async Task<string> EchoOverWebSocketAsync(AdversarialServer server, string eio)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WebSocketUri($"EIO={eio}&transport=websocket"), AdversarialServer.Timeout());
        Assert.StartsWith("0{", await Frames.ReceiveTextAsync(socket));
        if (eio == "4")
        {
            await Frames.SendTextAsync(socket, "40");
        }
        // v3 clients are joined to "/" without asking (socket.io 2.x).
        Assert.StartsWith("40", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("40", StringComparison.Ordinal)));
        await Frames.SendTextAsync(socket, EchoPacket);
        var ack = await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("43", StringComparison.Ordinal));
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        return ack;
    }

    private static async Task<string> EchoOverPollingAsync(AdversarialServer server, string eio)
    {
        var (sid, _) = await JoinPollingAsync(server, eio);
        var url = server.Url($"EIO={eio}&transport=polling&sid={sid}");
        Assert.Equal("ok", await (await server.Http.PostAsync(url, new StringContent(Frame(eio, EchoPacket), Encoding.UTF8))).Content.ReadAsStringAsync());
        var ack = await PollUntilAsync(server, eio, sid, p => p.StartsWith("43", StringComparison.Ordinal));
        await server.Http.PostAsync(url, new StringContent(Frame(eio, "1"), Encoding.UTF8));
        return ack;
    }

    /// <summary>Opens a polling session and joins <c>/</c>; returns the session id and, for v4, the socket id.</summary>
    private static async Task<(string Sid, string? SocketId)> JoinPollingAsync(AdversarialServer server, string eio)
    {
        var sid = await server.OpenPollingAsync(eio);
        if (eio == "4")
        {
            var posted = await server.Http.PostAsync(server.Url($"EIO=4&transport=polling&sid={sid}"), new StringContent("40"));
            Assert.Equal("ok", await posted.Content.ReadAsStringAsync());
        }
        // v3 clients are joined to "/" without asking; that CONNECT carries no socket id (socket.io 2.x).
        var connect = await PollUntilAsync(server, eio, sid, p => p.StartsWith("40", StringComparison.Ordinal));
        return (sid, eio == "4" ? JsonDocument.Parse(connect[2..]).RootElement.GetProperty("sid").GetString() : null);
    }

    /// <summary>Polls until a packet matches; answers the server's pings (v4) on the way.</summary>
    private static async Task<string> PollUntilAsync(AdversarialServer server, string eio, string sid, Func<string, bool> match)
    {
        var url = server.Url($"EIO={eio}&transport=polling&sid={sid}");
        while (true)
        {
            foreach (var packet in Packets(eio, await server.Http.GetStringAsync(url)))
            {
                if (match(packet))
                {
                    return packet;
                }
                if (packet == "2")
                {
                    await server.Http.PostAsync(url, new StringContent(Frame(eio, "3")));
                }
            }
        }
    }

    /// <summary>One packet as a polling body: as it is for v4, length-prefixed (UTF-16 units) for v3.</summary>
    private static string Frame(string eio, string packet) => eio == "4" ? packet : $"{packet.Length}:{packet}";

    /// <summary>The packets of a polling payload (text framing only).</summary>
    private static IEnumerable<string> Packets(string eio, string payload)
    {
        if (eio == "4")
        {
            return payload.Split('\u001e');
        }
        var packets = new List<string>();
        for (var i = 0; i < payload.Length;)
        {
            var colon = payload.IndexOf(':', i);
            var length = int.Parse(payload[i..colon], System.Globalization.CultureInfo.InvariantCulture);
            packets.Add(payload.Substring(colon + 1, length));
            i = colon + 1 + length;
        }
        return packets;
    }
}
