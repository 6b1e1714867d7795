using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PushServer.AdversarialTests.PushApi;

/// <summary>
/// One packet too large for any client, with the real server host and its default limits (1,000,000-byte
/// <c>MaxHttpBufferSize</c>, 1 MiB outbound queue): a client's relayed event, a push through <c>/api/emit</c>, the
/// web-msg-sender form and <c>?msg=</c>. Each fits the request limits and only grows past the queue cap once encoded
/// for the wire. It is refused where it was made (an ack error to the client, 413 to the backend) and reaches nobody;
/// ten observers of every kind (WebSocket, polling, Engine.IO v3 over both) stay connected and get the next push.
/// </summary>
public sealed class OversizedPacketTests : IAsyncLifetime
{
    /// <summary>
    /// 110,000 emoji: 440,000 bytes of UTF-8, under every request limit. JSON writes each one as an escaped surrogate
    /// pair (<c>\ud83d\ude00</c>, 12 bytes), so the event a client receives would be 1.32 MB.
    /// </summary>
    private static readonly string Emoji = string.Concat(Enumerable.Repeat("\U0001F600", 110_000));

    private const int RawObservers = 7;

    private readonly ConcurrentQueue<TestLogEntry> _log = new();
    private readonly List<ClientWebSocket> _raw = [];
    private readonly List<NodeClient> _node = [];
    private ExecutableHost _host = null!;
    private HttpClient _push = null!;
    private int _socketPort;

    public async Task InitializeAsync()
    {
        _host = await ExecutableHost.StartAsync(log: _log);
        _socketPort = _host.SocketPort;
        _push = _host.PushClient(timeout: TimeSpan.FromSeconds(30));

        for (var i = 0; i < RawObservers; i++)
        {
            _raw.Add(await ConnectRawAsync());
        }
        // Real clients for the transports a raw WebSocket does not cover: polling (4.x), and Engine.IO v3 (2.x) over
        // polling and WebSocket.
        var url = $"http://127.0.0.1:{_socketPort}";
        foreach (var config in new[]
        {
            new SocketIOClientConfig(url) { Version = 4, Transports = ["polling"] },
            new SocketIOClientConfig(url) { Version = 2, Transports = ["polling"] },
            new SocketIOClientConfig(url) { Version = 2, Transports = ["websocket"] },
        })
        {
            var client = await NodeClient.StartSocketIOAsync(config);
            _node.Add(client);
            await client.WaitForEventAsync("connect");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _node)
        {
            await client.DisposeAsync();
        }
        foreach (var socket in _raw)
        {
            socket.Dispose();
        }
        _push.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_relayed_event_too_large_for_any_client_is_refused_to_its_sender_and_nobody_is_disconnected()
    {
        var sender = await ConnectRawAsync();
        _raw.Add(sender);

        // The default relay rule would send it to everyone as "chat message from server"; the sender asked for an ack.
        // The emoji go as they are, as JSON.stringify leaves them: 440 KB, under MaxHttpBufferSize.
        await Frames.SendTextAsync(sender, "421[\"chat message\",\"" + Emoji + "\"]");

        var ack = await Frames.ReceiveUntilAsync(sender, f => f.StartsWith("43", StringComparison.Ordinal));
        Assert.StartsWith("431[", ack);
        var error = JsonDocument.Parse(ack[3..]).RootElement[0].GetProperty("error").GetString();
        Assert.Contains("too large", error, StringComparison.Ordinal);
        await AssertEveryoneGetsTheNextPushAsync();
        Assert.Contains(_log, e => e.Level == LogLevel.Information && e.Message.Contains("too large", StringComparison.Ordinal));
        Assert.Contains("pushserver_oversized_emits_total{source=\"relay\"} 1", await _push.GetStringAsync("metrics"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("emit")]
    [InlineData("publish")]
    [InlineData("msg")]
    public async Task A_push_too_large_for_any_client_gets_413_and_nobody_is_disconnected(string form)
    {
        HttpContent body = form switch
        {
            "emit" => new StringContent("{\"event\":\"big\",\"data\":\"" + Emoji + "\"}", Encoding.UTF8, "application/json"),
            // 200,000 apostrophes: 600 KB as a form, 1.2 MB once HTML-escaped (&#039;) as web-msg-sender does.
            "publish" => new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = "publish", ["to"] = "", ["content"] = new string('\'', 200_000) }),
            // A multipart form carries the emoji as raw UTF-8, as PHP's curl with an array of fields sends it.
            _ => new MultipartFormDataContent { { new StringContent(Emoji, Encoding.UTF8), "msg" } },
        };
        var response = await _push.PostAsync(form == "emit" ? "api/emit" : "", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("packet_too_large", error.GetProperty("code").GetString());
        Assert.Contains("EngineIO:MaxOutboundQueueBytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertEveryoneGetsTheNextPushAsync();
        var metrics = await _push.GetStringAsync("metrics");
        Assert.Contains("pushserver_oversized_emits_total{source=\"push\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"pushserver_push_requests_total{{operation=\"{form}\",status=\"413\"}} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_under_the_queue_cap_reaches_every_client_however_large()
    {
        // More than half the 1 MiB queue cap: every observer's queue is empty, so each takes it whole.
        var large = new string('x', 700_000);
        var response = await _push.PostAsync("api/emit", new StringContent(JsonSerializer.Serialize(new { @event = "large", data = large }), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RawObservers + _node.Count, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("recipients").GetInt32());
        foreach (var socket in _raw)
        {
            Assert.Equal("42[\"large\",\"" + large + "\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("42", StringComparison.Ordinal)));
        }
        foreach (var client in _node)
        {
            var received = await client.WaitForServerEventAsync("large");
            Assert.Equal(large, received.GetProperty("args")[0].GetString());
        }
        await AssertEveryoneGetsTheNextPushAsync();
    }

    /// <summary>
    /// The end of each test: a small push reaches every observer as the next event it sees (so nothing of the refused
    /// packet arrived before it), no observer was disconnected, and nothing was logged above Information.
    /// </summary>
    private async Task AssertEveryoneGetsTheNextPushAsync()
    {
        Assert.Equal("ok", await _push.GetStringAsync("?msg=after"));
        foreach (var socket in _raw)
        {
            Assert.Equal("42[\"chat message\",\"after\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("42", StringComparison.Ordinal)));
        }
        foreach (var client in _node)
        {
            var after = await client.WaitForServerEventAsync("chat message");
            Assert.Equal("after", after.GetProperty("args")[0].GetString());
            var events = client.Events;
            Assert.DoesNotContain(events, e => e.GetProperty("event").ValueEquals("disconnect"));
            Assert.DoesNotContain(events, e => e.GetProperty("event").ValueEquals("event")
                && (e.GetProperty("name").ValueEquals("big") || e.GetProperty("name").ValueEquals("new_msg") || e.GetProperty("name").ValueEquals("chat message from server")));
            Assert.Single(events, e => e.GetProperty("event").ValueEquals("event") && e.GetProperty("name").ValueEquals("chat message"));
        }
        Assert.DoesNotContain("outbound queue full", await _push.GetStringAsync("metrics"), StringComparison.Ordinal);
        var loud = _log.Where(e => e.Level > LogLevel.Information).ToList();
        Assert.True(loud.Count == 0, "logged above Information: " + string.Join("; ", loud.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")));
    }

    /// <summary>A raw Engine.IO v4 WebSocket client joined to <c>/</c>.</summary>
    private async Task<ClientWebSocket> ConnectRawAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_socketPort}/socket.io/?EIO=4&transport=websocket"), AdversarialServer.Timeout());
        Assert.StartsWith("0{", await Frames.ReceiveTextAsync(socket));
        await Frames.SendTextAsync(socket, "40");
        Assert.StartsWith("40{", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("40", StringComparison.Ordinal)));
        return socket;
    }
}
