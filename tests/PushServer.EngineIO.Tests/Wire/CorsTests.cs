namespace PushServer.EngineIO.Tests.Wire;

public class CorsTests
{
    [Fact]
    public async Task By_default_a_cross_origin_poll_is_refused_with_code_4()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (status, body, response) = await host.GetAsync("EIO=4&transport=polling", r => r.Headers.Add("Origin", "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("{\"code\":4,\"message\":\"Forbidden\"}", body);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task By_default_the_same_origin_is_allowed()
    {
        await using var host = await EngineTestHost.StartAsync();
        var origin = $"http://{host.BaseAddress.Authority}";
        var (status, _, _) = await host.GetAsync("EIO=4&transport=polling", r => r.Headers.Add("Origin", origin));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task An_allowed_origin_gets_the_CORS_headers_and_a_preflight_answer()
    {
        await using var host = await EngineTestHost.StartAsync(o =>
        {
            o.Cors.Origins.Add("http://app.example");
            o.Cors.Credentials = true;
        });

        var (status, _, response) = await host.GetAsync("EIO=4&transport=polling", r => r.Headers.Add("Origin", "http://app.example"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("http://app.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "engine.io/?EIO=4&transport=polling");
        preflight.Headers.Add("Origin", "http://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        var answer = await host.Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("GET,HEAD,PUT,PATCH,POST,DELETE", answer.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("content-type", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());
    }

    [Fact]
    public async Task A_wildcard_allows_any_origin_with_a_star()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cors.Origins.Add("*"));
        var (status, _, response) = await host.GetAsync("EIO=4&transport=polling", r => r.Headers.Add("Origin", "http://anything.example"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task The_allow_list_also_guards_websocket_upgrades()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cors.Origins.Add("http://app.example"));

        using var refused = new ClientWebSocket();
        refused.Options.SetRequestHeader("Origin", "http://evil.example");
        refused.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, refused.HttpStatusCode);

        using var allowed = new ClientWebSocket();
        allowed.Options.SetRequestHeader("Origin", "http://app.example");
        await allowed.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"), CancellationToken.None);
        Assert.StartsWith("0{", await Frames.ReceiveTextAsync(allowed));
    }

    [Fact]
    public async Task By_default_the_library_refuses_a_page_of_the_same_host_on_another_port()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (status, _, _) = await host.GetAsync("EIO=4&transport=polling", r => r.Headers.Add("Origin", "http://127.0.0.1:1"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1", null)]
    [InlineData("https://127.0.0.1", null)]
    [InlineData("http://127.0.0.1", null)]
    [InlineData("http://app.example", "app.example:2024")]
    [InlineData("http://APP.Example:8080", "app.example:2024")]
    [InlineData("https://app.example", "App.Example:2024")]
    [InlineData("http://[::1]:8080", "[::1]:2024")]
    [InlineData("http://[0:0:0:0:0:0:0:1]", "[::1]:2024")]
    public async Task With_the_same_host_name_rule_a_page_of_that_host_on_any_port_and_scheme_is_allowed(string origin, string? hostHeader)
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cors.AllowSameHostName = true);
        var (status, _, response) = await host.GetAsync("EIO=4&transport=polling", r =>
        {
            r.Headers.Add("Origin", origin);
            r.Headers.Host = hostHeader;
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Theory]
    [InlineData("http://localhost:1", null)]
    [InlineData("http://127.0.0.2", null)]
    [InlineData("null", null)]
    [InlineData("file://", null)]
    [InlineData("ftp://127.0.0.1", null)]
    [InlineData("http://evil.example@127.0.0.1", null)]
    [InlineData("http://127.0.0.1/path", null)]
    [InlineData("http://app.example.evil", "app.example:2024")]
    [InlineData("http://example", "app.example:2024")]
    [InlineData("http://[::2]:8080", "[::1]:2024")]
    public async Task With_the_same_host_name_rule_other_hosts_and_non_origins_are_still_refused(string origin, string? hostHeader)
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cors.AllowSameHostName = true);
        var (status, body, response) = await host.GetAsync("EIO=4&transport=polling", r =>
        {
            r.Headers.Add("Origin", origin);
            r.Headers.Host = hostHeader;
        });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("{\"code\":4,\"message\":\"Forbidden\"}", body);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_same_host_name_rule_also_decides_websocket_upgrades()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cors.AllowSameHostName = true);

        using var refused = new ClientWebSocket();
        refused.Options.SetRequestHeader("Origin", "http://localhost:1");
        refused.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, refused.HttpStatusCode);

        using var allowed = new ClientWebSocket();
        allowed.Options.SetRequestHeader("Origin", "https://127.0.0.1:1");
        await allowed.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket"), CancellationToken.None);
        Assert.StartsWith("0{", await Frames.ReceiveTextAsync(allowed));
    }

    [Fact]
    public async Task A_listed_origin_still_works_beside_the_same_host_name_rule()
    {
        await using var host = await EngineTestHost.StartAsync(o =>
        {
            o.Cors.AllowSameHostName = true;
            o.Cors.Origins.Add("http://app.example");
        });
        var (status, _, _) = await host.GetAsync("EIO=4&transport=polling", r => r.Headers.Add("Origin", "http://app.example"));
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
