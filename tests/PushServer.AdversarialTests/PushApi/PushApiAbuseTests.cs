using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace PushServer.AdversarialTests.PushApi;

/// <summary>
/// Abuse of the push port, with the real server host: no or a wrong token, huge bodies, too many rooms, CSRF-style
/// posts from a browser page. Each gets its documented status and error code; nothing is pushed; nothing is logged
/// above Information; and the next honest push goes through.
/// </summary>
public sealed class PushApiAbuseTests : IAsyncLifetime
{
    private const string Token = "adversarial-push-token";
    private readonly ConcurrentQueue<TestLogEntry> _log = new();
    private ExecutableHost _host = null!;
    private HttpClient _push = null!;
    private int _socketPort;

    public async Task InitializeAsync()
    {
        _host = await ExecutableHost.StartAsync(new Dictionary<string, string?>
        {
            ["PushApi:Token"] = Token,
            ["PushApi:MaxBodyBytes"] = "4096",
            ["SocketIO:MaxRoomsPerSocket"] = "10",
        }, _log);
        _socketPort = _host.SocketPort;
        _push = _host.PushClient(Token, TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        _push.Dispose();
        await _host.DisposeAsync();
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }

    /// <summary>A client on the Socket.IO port, joined to <c>/</c>.</summary>
    private async Task<(System.Net.WebSockets.ClientWebSocket Socket, string Id)> ConnectAsync()
    {
        var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_socketPort}/socket.io/?EIO=4&transport=websocket"), AdversarialServer.Timeout());
        Assert.StartsWith("0{", await Frames.ReceiveTextAsync(socket));
        await Frames.SendTextAsync(socket, "40");
        var connect = await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("40", StringComparison.Ordinal));
        return (socket, JsonDocument.Parse(connect[2..]).RootElement.GetProperty("sid").GetString()!);
    }

    /// <summary>The end of every test: an honest push reaches a fresh client, and nothing was logged above Information.</summary>
    private async Task AssertHealthyAsync()
    {
        var (socket, _) = await ConnectAsync();
        var response = await _push.PostAsync("api/emit", new StringContent("{\"event\":\"after\",\"data\":\"ok\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("42[\"after\",\"ok\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("42", StringComparison.Ordinal)));
        await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        socket.Dispose();
        var loud = _log.Where(e => e.Level > LogLevel.Information).ToList();
        Assert.True(loud.Count == 0, "logged above Information: " + string.Join("; ", loud.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer " + Token + " ")]
    [InlineData("Basic " + Token)]
    public async Task A_missing_or_wrong_token_gets_401_and_pushes_nothing(string? authorization)
    {
        var (socket, _) = await ConnectAsync();
        using var client = new HttpClient { BaseAddress = _push.BaseAddress };
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, "?msg=intruder"),
            new HttpRequestMessage(HttpMethod.Post, "api/emit") { Content = new StringContent("{\"event\":\"intruder\"}", Encoding.UTF8, "application/json") },
            new HttpRequestMessage(HttpMethod.Post, "api/sockets/disconnect") { Content = new StringContent("{}", Encoding.UTF8, "application/json") },
        })
        {
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }
            var response = await client.SendAsync(request);
            if (authorization == "Bearer " + Token + " ")
            {
                // Trailing spaces are trimmed, as HTTP header values are.
                Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
                continue;
            }
            await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        }
        if (authorization != "Bearer " + Token + " ")
        {
            // Nothing reached the client: the next thing it gets is the honest push.
            await Frames.SendTextAsync(socket, "41");
        }
        socket.Dispose();
        await AssertHealthyAsync();
    }

    [Theory]
    [InlineData("api/emit", "application/json")]
    [InlineData("", "application/x-www-form-urlencoded")]
    [InlineData("api/sockets/join", "application/json")]
    public async Task A_huge_body_gets_413(string path, string contentType)
    {
        var big = contentType == "application/json"
            ? "{\"event\":\"x\",\"data\":\"" + new string('x', 100_000) + "\"}"
            : "type=publish&to=&content=" + new string('x', 100_000);
        await AssertErrorAsync(await _push.PostAsync(path, new StringContent(big, Encoding.UTF8, contentType)), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        var chunked = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
        chunked.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        chunked.Headers.TransferEncodingChunked = true;
        await AssertErrorAsync(await _push.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task Deep_or_malformed_json_gets_400()
    {
        var deep = "{\"event\":\"x\",\"data\":" + new string('[', 1000) + new string(']', 1000) + "}";
        var deepResponse = await _push.PostAsync("api/emit", new StringContent(deep, Encoding.UTF8, "application/json"));
        Assert.True(deepResponse.StatusCode == HttpStatusCode.BadRequest, "deep: " + deepResponse.StatusCode);
        foreach (var bad in new[] { "{", "[]", "null", "{\"event\":1}", "{\"event\":\"connect\"}" })
        {
            var response = await _push.PostAsync("api/emit", new StringContent(bad, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{bad}: {response.StatusCode}");
        }
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task Joining_a_socket_to_too_many_rooms_stops_at_the_limit()
    {
        var (socket, id) = await ConnectAsync();
        var rooms = JsonSerializer.Serialize(Enumerable.Range(0, 100).Select(i => "r" + i));
        var response = await _push.PostAsync("api/sockets/join", new StringContent($"{{\"socketId\":\"{id}\",\"targetRooms\":{rooms}}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listing = JsonDocument.Parse(await _push.GetStringAsync("api/namespaces/%2F/sockets")).RootElement;
        var joined = listing.GetProperty("sockets").EnumerateArray().Single().GetProperty("rooms").GetArrayLength();
        Assert.InRange(joined, 9, 10);
        Assert.Contains(_log, e => e.Message.Contains("MaxRoomsPerSocket", StringComparison.Ordinal));
        socket.Dispose();
        await AssertHealthyAsync();
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    public async Task A_browser_form_post_from_another_site_gets_403(string header, string value)
    {
        var (socket, _) = await ConnectAsync();
        // What a hidden form on any web page sends: no custom headers, a form body. With no token configured the
        // browser marks are all that tell it from a backend.
        await using var open = await ExecutableHost.StartAsync();
        using var client = open.PushClient();
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Post, "") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = "publish", ["to"] = "", ["content"] = "csrf" }) },
            new HttpRequestMessage(HttpMethod.Get, "?msg=csrf"),
            new HttpRequestMessage(HttpMethod.Post, "api/emit") { Content = new StringContent("{\"event\":\"csrf\"}", Encoding.UTF8, "text/plain") },
        })
        {
            request.Headers.TryAddWithoutValidation(header, value);
            await AssertErrorAsync(await client.SendAsync(request), HttpStatusCode.Forbidden, "cross_site_request");
        }
        // The same request from a backend (no browser marks) is served.
        Assert.Equal("ok", await client.GetStringAsync("?msg=backend"));
        socket.Dispose();
        await AssertHealthyAsync();
    }

    /// <summary>
    /// DNS rebinding: a page on evil.example whose name then resolves to 127.0.0.1 calls the token-less push port as
    /// its own origin, so the browser marks every request same-origin. Only the Host header tells: it names the
    /// attacker's domain, not this machine.
    /// </summary>
    [Theory]
    [InlineData("evil.example:{port}")]
    [InlineData("evil.example")]
    [InlineData("localhost.evil.example:{port}")]
    [InlineData("127.0.0.1.nip.io:{port}")]
    [InlineData("localhost.example")]
    public async Task Without_a_token_a_request_for_another_host_name_gets_403_and_pushes_nothing(string hostPattern)
    {
        await using var open = await ExecutableHost.StartAsync();
        var host = hostPattern.Replace("{port}", open.PushPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{open.SocketPort}/socket.io/?EIO=4&transport=websocket"), AdversarialServer.Timeout());
        Assert.StartsWith("0{", await Frames.ReceiveTextAsync(socket));
        await Frames.SendTextAsync(socket, "40");
        Assert.StartsWith("40{", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("40", StringComparison.Ordinal)));

        using var client = open.PushClient();
        HttpRequestMessage Json(string path, string body) =>
            new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var request in new[]
        {
            Json("api/emit", "{\"event\":\"rebound\"}"),
            Json("api/sockets/disconnect", "{}"),
            Json("api/sockets/join", "{\"targetRooms\":[\"r\"]}"),
            new HttpRequestMessage(HttpMethod.Get, "api/namespaces/%2F/sockets"),
            new HttpRequestMessage(HttpMethod.Get, "api/namespaces/%2F/rooms"),
            new HttpRequestMessage(HttpMethod.Get, "api/stats"),
            new HttpRequestMessage(HttpMethod.Get, "?msg=rebound"),
            new HttpRequestMessage(HttpMethod.Post, "") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = "publish", ["to"] = "", ["content"] = "rebound" }) },
            new HttpRequestMessage(HttpMethod.Get, "health/live"),
            new HttpRequestMessage(HttpMethod.Get, "health/ready"),
            new HttpRequestMessage(HttpMethod.Get, "metrics"),
            new HttpRequestMessage(HttpMethod.Get, "no/such/path"),
        })
        {
            request.Headers.Host = host;
            request.Headers.TryAddWithoutValidation("Origin", "http://" + host);
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
            var response = await client.SendAsync(request);
            await AssertErrorAsync(response, HttpStatusCode.Forbidden, "host_not_allowed");
            Assert.Contains("PushApi:Token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Nothing reached the client and it is still connected: the next thing it gets is a push by a loopback name.
        Assert.Equal("ok", await client.GetStringAsync("?msg=backend"));
        Assert.Equal("42[\"chat message\",\"backend\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("42", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.0.0.1")]
    [InlineData("localhost:{port}")]
    [InlineData("LocalHost")]
    [InlineData("localhost.:{port}")]
    [InlineData("[::1]:{port}")]
    [InlineData("[::1]")]
    public async Task Without_a_token_a_loopback_host_name_is_served(string hostPattern)
    {
        await using var open = await ExecutableHost.StartAsync();
        using var client = open.PushClient();
        foreach (var path in new[] { "api/stats", "health/live", "?msg=local" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = hostPattern.Replace("{port}", open.PushPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task With_a_token_any_host_name_is_served()
    {
        // A token-protected push port may sit behind a proxy or be called by any name: the token is the guard.
        var request = new HttpRequestMessage(HttpMethod.Get, "api/stats");
        request.Headers.Host = "push.internal.example:8080";
        Assert.Equal(HttpStatusCode.OK, (await _push.SendAsync(request)).StatusCode);
        await AssertHealthyAsync();
    }
}
