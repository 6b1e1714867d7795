using Microsoft.Extensions.Logging;

namespace PushServer.AdversarialTests.EngineIO;

/// <summary>
/// WebSockets accepted below the HTTP layer (<c>UseEngineIOWebSockets</c>): taken only when the server accepts them,
/// holding no HTTP request once taken; everything else answered by the HTTP pipeline exactly as before.
/// </summary>
public sealed class ConnectionLevelUpgradeTests : IAsyncLifetime
{
    private AdversarialServer _server = null!;

    public async Task InitializeAsync() => _server = await AdversarialServer.StartAsync(o => o.Cors.Origins = ["https://allowed.example"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_accepted_WebSocket_holds_no_HTTP_request()
    {
        var (socket, _) = await _server.ConnectWebSocketAsync();
        await Frames.SendTextAsync(socket, "421[\"echo\",\"hi\"]");
        Assert.Equal("431[\"hi\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("43", StringComparison.Ordinal)));

        // Through HTTP the upgraded request would stay in flight for the connection's life.
        Assert.Equal(1, _server.Engine.WebSocketCount);
        Assert.Equal(0, _server.InFlightRequests);

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        socket.Dispose();
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_accepted_WebSocket_never_reaches_Kestrel_while_polling_does()
    {
        var before = _server.KestrelConnections;
        var (socket, _) = await _server.ConnectWebSocketAsync();
        Assert.Equal(before, _server.KestrelConnections);

        // A fresh HTTP client opens a new connection: Kestrel serves it after the listener looked at its first bytes.
        using var http = new HttpClient();
        Assert.StartsWith("0{", await http.GetStringAsync(_server.Url("EIO=4&transport=polling")));
        Assert.Equal(before + 1, _server.KestrelConnections);

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        socket.Dispose();
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task The_upgrade_of_a_polling_session_is_taken_at_the_connection_level_too()
    {
        var sid = await _server.OpenPollingAsync();
        var url = _server.Url("EIO=4&transport=polling&sid=" + sid);
        var heldPoll = _server.Http.GetAsync(url);
        // The poll must be held by the server before the upgrade completes, or it would come too late and be refused.
        await Eventually.TrueAsync(() => _server.InFlightRequests == 1, () => $"{_server.InFlightRequests} HTTP requests open");
        using var probe = new ClientWebSocket();
        await probe.ConnectAsync(_server.WebSocketUri("EIO=4&transport=websocket&sid=" + sid), AdversarialServer.Timeout());
        await Frames.SendTextAsync(probe, "2probe");
        Assert.Equal("3probe", await Frames.ReceiveTextAsync(probe));
        await Frames.SendTextAsync(probe, "5");
        // A client that sends 5 before its poll was released is refused that poll, as any poll after the upgrade.
        using var refused = await heldPoll;
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);

        await Frames.SendTextAsync(probe, "40");
        Assert.StartsWith("40{", await Frames.ReceiveUntilAsync(probe, f => f.StartsWith("40", StringComparison.Ordinal)));
        await Eventually.TrueAsync(() => _server.InFlightRequests == 0, () => $"{_server.InFlightRequests} HTTP requests open");

        await probe.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_cross_origin_WebSocket_from_an_allowed_origin_is_accepted()
    {
        using var socket = await RawTcp.ConnectAsync(_server.EndPoint);
        await RawTcp.SendAsync(socket, RawTcp.UpgradeRequest("EIO=4&transport=websocket", "Origin: https://allowed.example\r\n"));
        Assert.StartsWith("HTTP/1.1 101", await RawTcp.ReadAsync(socket, "\r\n\r\n"));
        Assert.Equal(0, _server.InFlightRequests);
        RawTcp.Reset(socket);
        await _server.AssertHealthyAsync();
    }

    // Upgrades are refused with 400 and the reason in the body, whatever the reason, as the reference does.
    [Theory]
    [InlineData("EIO=4&transport=websocket&sid=unknown", null, "HTTP/1.1 400", "Session ID unknown")]
    [InlineData("EIO=4&transport=websocket", "Origin: https://evil.example\r\n", "HTTP/1.1 400", "Forbidden")]
    [InlineData("EIO=4&transport=carrier-pigeon", null, "HTTP/1.1 400", "Transport unknown")]
    public async Task Upgrades_the_server_refuses_get_the_HTTP_answer(string query, string? headers, string status, string message)
    {
        using var socket = await RawTcp.ConnectAsync(_server.EndPoint);
        await RawTcp.SendAsync(socket, RawTcp.UpgradeRequest(query, headers));
        var answer = await RawTcp.ReadAsync(socket, message);
        Assert.StartsWith(status, answer);
        Assert.Contains(message, answer);
        if (headers?.StartsWith("Origin:", StringComparison.Ordinal) == true)
        {
            // The one refusal logged at Warning, by design: once per origin, naming it, so the operator can allow the page.
            var warning = Assert.Single(_server.Log, e => e.Level > LogLevel.Information);
            Assert.Equal(1018, warning.EventId);
            Assert.Contains("https://evil.example", warning.Message);
            await _server.AssertHealthyAsync(clientMistakeOnly: false);
            return;
        }
        await _server.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_upgrade_sent_in_pieces_is_still_served()
    {
        using var socket = await RawTcp.ConnectAsync(_server.EndPoint);
        var request = RawTcp.UpgradeRequest("EIO=4&transport=websocket");
        // The head arrives in two writes: whichever way the first read splits it, the connection is served (by the
        // HTTP pipeline when the first read holds only part of the head).
        await RawTcp.SendAsync(socket, request[..20]);
        await RawTcp.SendAsync(socket, request[20..]);
        Assert.StartsWith("HTTP/1.1 101", await RawTcp.ReadAsync(socket, "\r\n\r\n"));
        RawTcp.Reset(socket);
        await _server.AssertHealthyAsync();
    }

    /// <summary>
    /// Frames of a WebSocket taken off the socket are built once per packet and written straight to it: a binary
    /// attachment as a v4 binary frame (raw bytes), a v3 one (type byte first), or base64 text for a b64 client, and a
    /// text frame of each length class (7, 16 and 64-bit lengths), read by .NET's client WebSocket.
    /// </summary>
    [Theory]
    [InlineData("EIO=4", "binary:010203")]
    [InlineData("EIO=3", "binary:04010203")]
    [InlineData("EIO=4&b64=1", "text:bAQID")]
    [InlineData("EIO=3&b64=1", "text:b4AQID")]
    public async Task Frames_written_straight_to_the_socket_carry_binary_and_long_text_for_every_client_kind(string query, string attachment)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_server.WebSocketUri(query + "&transport=websocket"), AdversarialServer.Timeout());
        Assert.StartsWith("0{", await Frames.ReceiveTextAsync(socket));
        if (query.StartsWith("EIO=4", StringComparison.Ordinal))
        {
            await Frames.SendTextAsync(socket, "40");
        }
        Assert.StartsWith("40", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("40", StringComparison.Ordinal)));

        // A binary event acked with its own arguments: the attachment comes back in the client's own form.
        await Frames.SendTextAsync(socket, "451-1[\"echo\",{\"_placeholder\":true,\"num\":0}]");
        if (query.Contains("b64=1", StringComparison.Ordinal))
        {
            await Frames.SendTextAsync(socket, query.StartsWith("EIO=3", StringComparison.Ordinal) ? "b4AQID" : "bAQID");
        }
        else
        {
            await Frames.SendBinaryAsync(socket, query.StartsWith("EIO=3", StringComparison.Ordinal) ? [4, 1, 2, 3] : [1, 2, 3]);
        }
        Assert.Equal("461-1[{\"_placeholder\":true,\"num\":0}]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("46", StringComparison.Ordinal)));
        Assert.Equal(attachment, await ReceiveSkippingPingsAsync(socket));

        foreach (var length in new[] { 100, 1_000, 70_000 })
        {
            var text = new string('x', length);
            await Frames.SendTextAsync(socket, $"422[\"echo\",\"{text}\"]");
            Assert.Equal($"432[\"{text}\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("43", StringComparison.Ordinal)));
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        await _server.AssertHealthyAsync();
    }

    /// <summary>The next frame other than a ping (answered), as <c>binary:HEX</c> or <c>text:TEXT</c>.</summary>
    private static async Task<string> ReceiveSkippingPingsAsync(WebSocket socket)
    {
        while (true)
        {
            var (type, data) = await Frames.ReceiveAsync(socket);
            if (type == WebSocketMessageType.Binary)
            {
                return "binary:" + Convert.ToHexString(data);
            }
            var text = System.Text.Encoding.UTF8.GetString(data);
            if (text != "2")
            {
                return "text:" + text;
            }
            await Frames.SendTextAsync(socket, "3");
        }
    }
}
