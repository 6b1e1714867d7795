namespace PushServer.Tests.EndToEnd;

/// <summary>
/// The executable's cross-origin default, the phpsocket.io layout: a page from the website on the push server's host
/// name (another port) connects, a page from another host name is refused, and the log says which origin and which key
/// to set. Pages run in headless Chromium; the log is the real process's.
/// </summary>
public sealed class CrossOriginTests
{
    private const string OriginKey = "EngineIO:Cors:Origins";

    [Fact]
    public async Task By_default_a_page_of_the_same_host_on_another_port_connects_and_one_of_another_host_is_refused_and_logged()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var browser = await NodeClient.StartAsync("cross-origin-browser.js", new
        {
            server = server.SocketIOUrl,
            attempts = new object[]
            {
                new { pageHost = "127.0.0.1", transports = new[] { "polling", "websocket" } },
                new { pageHost = "127.0.0.1", transports = new[] { "websocket" } },
                new { pageHost = "localhost", transports = new[] { "polling", "websocket" } },
                new { pageHost = "localhost", transports = new[] { "websocket" } },
            },
        });

        var results = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await browser.WaitForEventAsync("result", e => e.GetProperty("index").GetInt32() == i, timeout: TimeSpan.FromSeconds(60)));
        }

        foreach (var sameHost in results[..2])
        {
            Assert.True(sameHost.GetProperty("connected").GetBoolean(), sameHost.ToString());
            Assert.Equal("round trip", sameHost.GetProperty("echo").GetString());
        }
        var otherOrigin = results[2].GetProperty("origin").GetString()!;
        Assert.StartsWith("http://localhost:", otherOrigin);
        Assert.False(results[2].GetProperty("connected").GetBoolean());
        Assert.Equal("xhr poll error", results[2].GetProperty("error").GetString());
        Assert.False(results[3].GetProperty("connected").GetBoolean());
        Assert.Equal("websocket error", results[3].GetProperty("error").GetString());

        var line = await server.WaitForLineAsync(l => l.Contains("refused a page from origin " + otherOrigin, StringComparison.Ordinal));
        Assert.Contains("WRN", line);
        Assert.Contains(OriginKey, line);
        Assert.Contains("--cors-origin", line);
        // Two refused attempts (polling, then a WebSocket), one line.
        Assert.Single(server.Output.Split('\n'), l => l.Contains("refused a page from origin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_origin_is_logged_once_and_another_one_on_its_own_line()
    {
        await using var server = await ServerProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.SocketIOUrl), Timeout = TimeSpan.FromSeconds(30) };

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await PollAsync(http, "http://first.example"));
        }
        Assert.Equal(HttpStatusCode.Forbidden, await PollAsync(http, "http://second.example"));

        // Lines are written in order: once the second origin's is out, any repeat of the first would be too.
        await server.WaitForLineAsync(l => l.Contains("origin http://second.example", StringComparison.Ordinal));
        Assert.Single(server.Output.Split('\n'), l => l.Contains("origin http://first.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_origin_list_replaces_the_same_host_default()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { [OriginKey + ":0"] = "http://app.example" });
        using var http = server.SocketIOClient();

        Assert.Equal(HttpStatusCode.Forbidden, await PollAsync(http, "http://127.0.0.1:1"));
        Assert.Equal(HttpStatusCode.OK, await PollAsync(http, "http://app.example"));
    }

    [Fact]
    public async Task The_cors_origin_flag_replaces_the_same_host_default()
    {
        await using var server = await ServerProcess.StartAsync(["--cors-origin", "http://app.example"]);
        using var http = new HttpClient { BaseAddress = new Uri(server.SocketIOUrl), Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal(HttpStatusCode.Forbidden, await PollAsync(http, "http://127.0.0.1:1"));
        Assert.Equal(HttpStatusCode.OK, await PollAsync(http, "http://app.example"));
    }

    [Fact]
    public async Task By_default_a_page_of_the_same_host_name_gets_the_CORS_headers()
    {
        await using var server = await InProcessServer.StartAsync();
        using var http = server.SocketIOClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "socket.io/?EIO=4&transport=polling");
        request.Headers.Add("Origin", "http://127.0.0.1:1");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://127.0.0.1:1", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private static async Task<HttpStatusCode> PollAsync(HttpClient http, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "socket.io/?EIO=4&transport=polling");
        request.Headers.Add("Origin", origin);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
