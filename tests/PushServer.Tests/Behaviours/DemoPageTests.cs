using System.Text.RegularExpressions;

namespace PushServer.Tests.Behaviours;

/// <summary>The demo page and the client bundles on the Socket.IO port, beside the push API's own <c>/</c>.</summary>
public sealed class DemoPageTests : ResourceTests
{
    private InProcessServer _server = null!;

    public override async Task InitializeAsync() => _server = await StartInProcessAsync();

    [Fact]
    public async Task The_demo_chat_is_served_at_the_root_of_the_socket_io_port()
    {
        using var http = _server.SocketIOClient();
        using var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("PushServer chat", html);
        Assert.Contains("chat message from server", html);
    }

    [Theory]
    [InlineData("/socket.io/socket.io.js", "4.8.4")]
    [InlineData("/socket.io/socket.io.min.js", "4.8.4")]
    [InlineData("/socket.io/socket.io.v2.js", "2.5.0")]
    public async Task The_socket_io_client_bundles_are_served_from_the_npm_packages(string path, string version)
    {
        using var http = _server.SocketIOClient();
        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(version, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_push_port_keeps_its_own_root_and_does_not_serve_the_demo()
    {
        using var push = _server.PushClient();
        Assert.Equal("ok", await push.GetStringAsync("?msg=still+pushing"));
        Assert.Equal(HttpStatusCode.NotFound, (await push.GetAsync("socket.io/socket.io.js")).StatusCode);
    }

    [Theory]
    [InlineData("/socket.io/socket.io.js")]
    [InlineData("/socket.io/socket.io.min.js")]
    [InlineData("/socket.io/socket.io.v2.js")]
    public async Task Each_bundles_source_map_is_served_beside_it(string path)
    {
        using var http = _server.SocketIOClient();
        var bundle = await http.GetStringAsync(path);
        var reference = Regex.Match(bundle, @"//# sourceMappingURL=(\S+)\s*$");
        Assert.True(reference.Success, "the bundle names its source map");

        using var response = await http.GetAsync(new Uri(new Uri(http.BaseAddress!, path), reference.Groups[1].Value));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var map = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, map.GetProperty("version").GetInt32());
        Assert.NotEmpty(map.GetProperty("mappings").GetString()!);
    }

    [Fact]
    public async Task The_2x_bundle_names_its_own_source_map_not_the_4x_one()
    {
        using var http = _server.SocketIOClient();
        var v2 = await http.GetStringAsync("/socket.io/socket.io.v2.js");
        var v4 = await http.GetStringAsync("/socket.io/socket.io.js");

        Assert.NotEqual(
            Regex.Match(v4, @"sourceMappingURL=(\S+)").Groups[1].Value,
            Regex.Match(v2, @"sourceMappingURL=(\S+)").Groups[1].Value);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/socket.io/socket.io.js")]
    [InlineData("/socket.io/socket.io.min.js")]
    [InlineData("/socket.io/socket.io.v2.js")]
    [InlineData("/socket.io/socket.io.js.map")]
    public async Task Head_answers_as_get_without_a_body(string path)
    {
        using var http = _server.SocketIOClient();
        using var get = await http.GetAsync(path);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Head_on_the_health_endpoints_answers_as_get(string path)
    {
        using var push = _server.PushClient();
        using var head = await push.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_demo_page_declares_its_icon_so_the_browser_asks_for_no_favicon()
    {
        using var http = _server.SocketIOClient();
        var html = await http.GetStringAsync("/");
        Assert.Matches(@"<link rel=""icon"" href=""data:,"">", html);
    }

    [Fact]
    public async Task The_demo_page_shows_the_curl_line_for_this_servers_push_port()
    {
        using var http = _server.SocketIOClient();
        var html = await http.GetStringAsync("/");
        Assert.StartsWith($"curl 'http://127.0.0.1:{_server.PushPort}/?msg=", CurlLine(html));
        Assert.DoesNotContain("9191", html);
    }

    [Fact]
    public async Task On_a_public_push_port_the_curl_line_uses_the_pages_host_name_and_a_token_placeholder()
    {
        const string token = "demo-page-secret-token";
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["PushApi:Bind"] = "0.0.0.0",
            ["PushApi:Token"] = token,
        });
        using var http = server.SocketIOClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "push.example.test:8080";
        using var response = await http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Matches($@"^curl -H 'Authorization: Bearer [A-Z_]+' 'http://push\.example\.test:{server.PushPort}/\?msg=", CurlLine(html));
        Assert.DoesNotContain(token, html);
    }

    [Fact]
    public async Task A_curl_line_run_as_shown_pushes_to_the_page()
    {
        await using var client = await RawSocketIOClient.ConnectAsync(_server.SocketIOUri);
        using var http = _server.SocketIOClient();
        var curl = CurlLine(await http.GetStringAsync("/"));
        var url = Regex.Match(curl, @"'(http://[^']+)'$").Groups[1].Value;

        using var push = new HttpClient();
        Assert.Equal("ok", await push.GetStringAsync(url));
        Assert.Equal("""["chat message","hello from a backend"]""", (await client.NextEventAsync()).GetRawText());
    }

    [Theory]
    [InlineData("push.example.test", "push.example.test")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("[2001:db8::1]", "[2001:db8::1]")]
    [InlineData("a'b;rm -rf", "SERVER")]
    [InlineData("<b>", "SERVER")]
    [InlineData(null, "SERVER")]
    public void On_a_public_push_port_only_a_real_host_name_from_the_request_goes_into_the_curl_line(string? pageHost, string expected)
    {
        var push = new PushServer.Configuration.PushApiSettings { Bind = "0.0.0.0", Port = 9191, Token = "t" };
        var (command, _) = PushServer.Hosting.DemoPushExample.For(push, 9191, pageHost);
        Assert.Contains($"'http://{expected}:9191/?msg=", command);
    }

    [Fact]
    public void A_push_port_served_over_TLS_gets_an_https_curl_line()
    {
        var push = new PushServer.Configuration.PushApiSettings { Port = 9191, Tls = true };
        Assert.Contains("'https://127.0.0.1:9191/?msg=", PushServer.Hosting.DemoPushExample.For(push, 9191, null).Command);
    }

    /// <summary>The command the page shows, as a reader would copy it.</summary>
    private static string CurlLine(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, @"<code id=""curl"">([^<]*)</code>").Groups[1].Value);
}
