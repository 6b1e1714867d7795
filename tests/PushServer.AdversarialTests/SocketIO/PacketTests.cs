namespace PushServer.AdversarialTests.SocketIO;

/// <summary>
/// Bad Socket.IO packets over a real WebSocket, from socket.io-parser's advisories (CVE-2022-2421 placeholders and
/// attachment counts, CVE-2023-32695 and CVE-2024-38355 non-string and reserved event names) and the bug classes
/// socketioxide fixed (huge namespaces, overflowing ack ids, deep JSON). As socket.io 4.8: a malformed packet closes
/// the whole connection with <c>parse error</c>; an unknown namespace is refused with <c>Invalid namespace</c> and
/// the connection stays; a second CONNECT to a joined namespace closes it.
/// </summary>
public sealed class PacketTests : IAsyncLifetime
{
    private AdversarialServer _server = null!;

    public async Task InitializeAsync() => _server = await AdversarialServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly string Deep = new string('[', 100) + new string(']', 100);

    private const string ParseError = "parse error";

    /// <summary>A packet the parser accepts but the state forbids: socket.io closes the connection all the same.</summary>
    private const string Violation = "forced server close";

    public static TheoryData<string, string, string[]> ParseErrors => new()
    {
        // Non-string and reserved event names (numbers are accepted, as socket.io-parser does).
        { "non-string event name", ParseError, ["42[{}]", "42[null]", "42[[\"echo\"]]", "42[true]", "42[]", "42{}", "42\"echo\""] },
        { "reserved event name", ParseError, ["42[\"connect\"]", "42[\"connect_error\"]", "42[\"disconnect\"]", "42[\"disconnecting\"]", "42[\"newListener\"]", "42[\"removeListener\"]"] },
        { "bad attachment count", ParseError, ["45-[\"echo\",{\"_placeholder\":true,\"num\":0}]", "45a-[\"echo\"]", "451[\"echo\"]", "45999999999-[\"echo\"]", "45-1-[\"echo\"]"] },
        { "malformed", ParseError, ["4", "49", "47[\"echo\"]", "42[", "42[\"echo\"]garbage", "42\u0000", "4x", "40/a,{", "40[]"] },
        { "overflowing ack id", ParseError, ["42999999999999999999999[\"echo\"]", "4312345678901234567890[]"] },
        { "CONNECT_ERROR from a client", Violation, ["44{\"message\":\"x\"}"] },
        { "event before CONNECT to its namespace", Violation, ["42/admin,[\"echo\"]", "43/admin,0[]"] },
    };

    [Theory]
    [MemberData(nameof(ParseErrors))]
    public async Task Malformed_packets_close_the_connection(string kind, string reason, string[] packets)
    {
        Assert.NotEmpty(kind);
        foreach (var packet in packets)
        {
            var (socket, _) = await _server.ConnectWebSocketAsync();
            await Frames.SendTextAsync(socket, packet);
            await Frames.AssertClosedByServerAsync(socket);
            socket.Dispose();
        }
        await Eventually.TrueAsync(() => _server.DisconnectReasons.Count == packets.Length, () => "not every socket disconnected");
        Assert.All(_server.DisconnectReasons, r => Assert.Equal(reason, r));
        await _server.AssertHealthyAsync();
    }

    public static TheoryData<string, string> Limits => new()
    {
        { "max_json_depth", "42[\"echo\"," + Deep + "]" },
        { "max_namespace_length", "40/" + new string('n', 300) + "," },
        { "max_namespace_length", "42/" + new string('n', 100_000) + ",[\"echo\"]" },
        { "max_event_name_length", "42[\"" + new string('e', 300) + "\"]" },
        { "max_attachments", "4511-[\"echo\"]" },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task Packets_past_a_limit_close_the_connection_and_count(string limit, string packet)
    {
        var before = MetricCounters.Get(MetricCounters.SocketLimit, limit);
        var (socket, _) = await _server.ConnectWebSocketAsync();
        await Frames.SendTextAsync(socket, packet);
        await Frames.AssertClosedByServerAsync(socket);
        await _server.WaitForDisconnectAsync("parse error");
        Assert.Equal(before + 1, MetricCounters.Get(MetricCounters.SocketLimit, limit));
        Assert.Contains(_server.Log, e => e.Message.Contains("malformed packet", StringComparison.Ordinal));
        await _server.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("[\"echo\",{\"_placeholder\":true,\"num\":1}]")]
    [InlineData("[\"echo\",{\"_placeholder\":true,\"num\":-1}]")]
    [InlineData("[\"echo\",{\"_placeholder\":true,\"num\":\"0\"}]")]
    [InlineData("[\"echo\",{\"_placeholder\":true,\"num\":1e300}]")]
    [InlineData("[\"echo\",{\"_placeholder\":true}]")]
    public async Task Bad_placeholders_close_the_connection(string payload)
    {
        var (socket, _) = await _server.ConnectWebSocketAsync();
        await Frames.SendTextAsync(socket, "451-" + payload);
        await Frames.SendBinaryAsync(socket, [1, 2, 3]);
        await Frames.AssertClosedByServerAsync(socket);
        await _server.WaitForDisconnectAsync("parse error");
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_binary_frame_nobody_waits_for_and_text_while_attachments_are_due_close_the_connection()
    {
        var (first, _) = await _server.ConnectWebSocketAsync();
        await Frames.SendBinaryAsync(first, [1, 2, 3]);
        await Frames.AssertClosedByServerAsync(first);

        var (second, _) = await _server.ConnectWebSocketAsync();
        await Frames.SendTextAsync(second, "452-[\"echo\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        await Frames.SendBinaryAsync(second, [1]);
        await Frames.SendTextAsync(second, "42[\"echo\"]");
        await Frames.AssertClosedByServerAsync(second);
        Assert.Equal(["parse error", "parse error"], _server.DisconnectReasons);
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_valid_binary_event_is_still_answered()
    {
        var (socket, _) = await _server.ConnectWebSocketAsync();
        await Frames.SendTextAsync(socket, "451-7[\"echo\",{\"_placeholder\":true,\"num\":0}]");
        await Frames.SendBinaryAsync(socket, [1, 2, 3]);
        Assert.Equal("461-7[{\"_placeholder\":true,\"num\":0}]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("46", StringComparison.Ordinal)));
        var (type, data) = await Frames.ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal([1, 2, 3], data);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        await _server.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("40/nope,", "44/nope,{\"message\":\"Invalid namespace\"}")]
    [InlineData("40/__proto__,", "44/__proto__,{\"message\":\"Invalid namespace\"}")]
    [InlineData("40/constructor,", "44/constructor,{\"message\":\"Invalid namespace\"}")]
    [InlineData("40/nope?x=1,", "44/nope?x=1,{\"message\":\"Invalid namespace\"}")]
    public async Task An_unknown_namespace_is_refused_and_the_connection_stays(string connect, string refusal)
    {
        var (socket, _) = await _server.ConnectWebSocketAsync();
        await Frames.SendTextAsync(socket, connect);
        Assert.Equal(refusal, await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("44", StringComparison.Ordinal)));
        await Frames.SendTextAsync(socket, "421[\"echo\",\"still here\"]");
        Assert.Equal("431[\"still here\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("43", StringComparison.Ordinal)));
        Assert.Single(_server.Io.Namespaces);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_second_CONNECT_to_a_joined_namespace_closes_the_connection()
    {
        var (socket, _) = await _server.ConnectWebSocketAsync();
        await Frames.SendTextAsync(socket, "40");
        await Frames.AssertClosedByServerAsync(socket);
        await _server.WaitForDisconnectAsync(Violation);
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_ack_with_an_unknown_id_and_an_event_nobody_listens_to_are_ignored()
    {
        var (socket, _) = await _server.ConnectWebSocketAsync();
        await Frames.SendTextAsync(socket, "43999[\"x\"]");
        await Frames.SendTextAsync(socket, "42[\"nobody listens\",1]");
        await Frames.SendTextAsync(socket, "42[12345,\"number names are accepted\"]");
        await Frames.SendTextAsync(socket, "421[\"echo\",\"alive\"]");
        Assert.Equal("431[\"alive\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("43", StringComparison.Ordinal)));
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task Joins_past_the_rooms_limit_are_refused_and_counted()
    {
        await using var server = await AdversarialServer.StartAsync(socketIO: o => o.MaxRoomsPerSocket = 5);
        var before = MetricCounters.Get(MetricCounters.SocketLimit, "max_rooms_per_socket");
        var (socket, _) = await server.ConnectWebSocketAsync();
        await Frames.SendTextAsync(socket, "421[\"join-many\",50]");
        // Its own room and four more.
        Assert.Equal("431[5]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("43", StringComparison.Ordinal)));
        Assert.Equal(before + 1, MetricCounters.Get(MetricCounters.SocketLimit, "max_rooms_per_socket"));
        Assert.Contains(server.Log, e => e.Message.Contains("MaxRoomsPerSocket", StringComparison.Ordinal));
        await Frames.SendTextAsync(socket, "422[\"echo\",\"still connected\"]");
        Assert.Equal("432[\"still connected\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("43", StringComparison.Ordinal)));
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_packet_flood_closes_only_the_flooding_session()
    {
        await using var server = await AdversarialServer.StartAsync(o =>
        {
            o.MaxInboundPacketsPerSecond = 5;
            o.InboundPacketBurst = 20;
        });
        var before = MetricCounters.Get(MetricCounters.EngineLimit, "inbound_rate");
        var (calm, _) = await server.ConnectWebSocketAsync();
        var (flood, _) = await server.ConnectWebSocketAsync();
        var payload = Encoding.UTF8.GetBytes("42[\"nobody listens\"]");
        try
        {
            for (var i = 0; i < 10_000 && flood.State == WebSocketState.Open; i++)
            {
                await flood.SendAsync(payload, WebSocketMessageType.Text, true, AdversarialServer.Timeout());
            }
        }
        catch (WebSocketException)
        {
            // Closed under our feet: that is the point.
        }
        await server.WaitForDisconnectAsync("rate limit exceeded");
        Assert.Equal(before + 1, MetricCounters.Get(MetricCounters.EngineLimit, "inbound_rate"));
        Assert.Contains(server.Log, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Information && e.Message.Contains("packets a second", StringComparison.Ordinal));
        await Frames.SendTextAsync(calm, "421[\"echo\",\"calm\"]");
        Assert.Equal("431[\"calm\"]", await Frames.ReceiveUntilAsync(calm, f => f.StartsWith("43", StringComparison.Ordinal)));
        await calm.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        flood.Dispose();
        await server.AssertHealthyAsync();
    }
}
