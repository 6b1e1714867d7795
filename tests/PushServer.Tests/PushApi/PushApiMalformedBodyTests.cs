namespace PushServer.Tests.PushApi;

/// <summary>
/// Bodies that are well-formed enough to pass the parser but not to be read, found by fuzzing the request reader:
/// each once ended in a 500 and must be the caller's 400.
/// </summary>
public sealed class PushApiMalformedBodyTests : ResourceTests
{
    private InProcessServer _server = null!;
    private HttpClient _push = null!;

    public override async Task InitializeAsync()
    {
        _server = await StartInProcessAsync();
        _push = _server.PushClient();
    }

    public override async Task DisposeAsync()
    {
        _push.Dispose();
        await base.DisposeAsync();
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("api/emit", """{"event":"\ud800"}""")]
    [InlineData("api/emit", """{"event":"x","rooms":["\udfff"]}""")]
    [InlineData("api/emit", """{"event":"x","except":"\ud800"}""")]
    [InlineData("api/emit", """{"event":"x","namespace":"\ud800"}""")]
    [InlineData("api/emit", """{"event":"x","socketId":"\udbff"}""")]
    [InlineData("api/sockets/join", """{"targetRooms":["\ud800"]}""")]
    public async Task A_string_field_with_an_escaped_lone_surrogate_gets_400(string path, string json)
    {
        using var response = await _push.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertErrorAsync(response, "invalid_request");
    }

    [Fact]
    public async Task A_json_body_that_is_not_UTF8_gets_400()
    {
        byte[] body = [.. Encoding.ASCII.GetBytes("{\"event\":\""), 0xC3, 0x28, .. Encoding.ASCII.GetBytes("\"}")];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await _push.PostAsync("api/emit", content);
        await AssertErrorAsync(response, "invalid_json");
    }

    [Fact]
    public async Task A_multipart_form_cut_before_its_closing_boundary_gets_400()
    {
        using var content = new StringContent(
            "--b\r\nContent-Disposition: form-data; name=\"msg\"\r\n\r\nhello", Encoding.UTF8);
        content.Headers.ContentType = new("multipart/form-data") { Parameters = { new("boundary", "b") } };
        using var response = await _push.PostAsync("", content);
        await AssertErrorAsync(response, "invalid_request");
    }

    [Fact]
    public async Task The_push_api_still_serves_after_the_malformed_bodies()
    {
        using (var bad = await _push.PostAsync("api/emit", new StringContent("""{"event":"\ud800"}""", Encoding.UTF8, "application/json")))
        {
            await AssertErrorAsync(bad, "invalid_request");
        }
        Assert.Equal("ok", await _push.GetStringAsync("?msg=still%20here"));
    }
}
