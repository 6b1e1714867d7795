namespace PushServer.Tests.PushApi;

/// <summary>
/// The push port's <c>/</c> opened in a browser shows a status page; a script calling it without <c>msg</c> keeps
/// getting the JSON error it always got.
/// </summary>
public sealed class StatusPageTests : ResourceTests
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private InProcessServer _server = null!;

    public override async Task InitializeAsync() => _server = await StartInProcessAsync();

    [Fact]
    public async Task A_browser_gets_a_page_with_this_nodes_version_connections_and_links()
    {
        await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig($"http://127.0.0.1:{_server.SocketIOPort}"));
        await client.WaitForEventAsync("connect");
        using var push = _server.PushClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "");
        request.Headers.TryAddWithoutValidation("Accept", BrowserAccept);

        using var response = await push.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<td>connections</td><td>1</td>", html);
        Assert.Contains("<td>state</td><td>serving</td>", html);
        foreach (var link in new[] { "api/stats", "metrics", "health/ready" })
        {
            Assert.Contains($"href=\"{link}\"", html);
            // Every link leads somewhere on this port.
            Assert.Equal(HttpStatusCode.OK, (await push.GetAsync(link)).StatusCode);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("text/html;q=0")]
    public async Task A_script_without_msg_still_gets_the_json_error(string? accept)
    {
        using var push = _server.PushClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await push.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("missing_parameter", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_browser_link_with_msg_still_pushes()
    {
        await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig($"http://127.0.0.1:{_server.SocketIOPort}"));
        await client.WaitForEventAsync("connect");
        using var push = _server.PushClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "?msg=from+a+browser");
        request.Headers.TryAddWithoutValidation("Accept", BrowserAccept);

        Assert.Equal("ok", await (await push.SendAsync(request)).Content.ReadAsStringAsync());
        Assert.Equal("from a browser", (await client.WaitForServerEventAsync("chat message")).GetProperty("args")[0].GetString());
    }
}
