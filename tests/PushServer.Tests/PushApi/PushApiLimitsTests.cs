namespace PushServer.Tests.PushApi;

public sealed class PushApiLimitsTests : ResourceTests
{
    private const string Token = "t0ken-for-push-tests";
    private InProcessServer _server = null!;

    public override async Task InitializeAsync() =>
        _server = await StartInProcessAsync(new()
        {
            ["PushApi:Token"] = Token,
            ["PushApi:MaxBodyBytes"] = "1024",
        });

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString()!;

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData(Token + "x")]
    public async Task A_push_without_the_right_bearer_token_gets_401(string? token)
    {
        using var client = _server.PushClient(token);
        foreach (var path in new[] { "?msg=x", "api/stats", "metrics" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthorized", await ErrorCodeAsync(response));
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task A_push_with_the_bearer_token_is_accepted()
    {
        using var client = _server.PushClient(Token);
        Assert.Equal("ok", await client.GetStringAsync("?msg=x"));
        Assert.Contains("pushserver_push_requests_total", await client.GetStringAsync("metrics"));
    }

    [Fact]
    public async Task Health_probes_need_no_token()
    {
        using var client = _server.PushClient();
        Assert.Equal("Healthy", await client.GetStringAsync("health/ready"));
    }

    [Fact]
    public async Task A_json_body_over_the_cap_gets_413()
    {
        using var client = _server.PushClient(Token);
        var json = JsonSerializer.Serialize(new { @event = "big", data = new string('x', 2000) });
        using var response = await client.PostAsync("api/emit", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_chunked_json_body_over_the_cap_gets_413()
    {
        using var client = _server.PushClient(Token);
        var json = JsonSerializer.Serialize(new { @event = "big", data = new string('x', 5000) });
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/emit") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_form_body_over_the_cap_gets_413()
    {
        using var client = _server.PushClient(Token);
        using var response = await client.PostAsync("", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["type"] = "publish", ["content"] = new string('x', 2000),
        }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", await ErrorCodeAsync(response));
    }
}
