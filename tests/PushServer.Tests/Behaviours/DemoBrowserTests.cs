namespace PushServer.Tests.Behaviours;

/// <summary>The demo chat in headless Chromium: a message typed in one page appears in both, each line saying who sent it.</summary>
public sealed class DemoBrowserTests : ResourceTests
{
    private InProcessServer _server = null!;

    public override async Task InitializeAsync() => _server = await StartInProcessAsync();

    [Theory]
    [InlineData("", "client 4.x")]
    [InlineData("client=2", "client 2.x")]
    [InlineData("transport=polling", "client 4.x")]
    public async Task A_message_typed_in_one_page_appears_in_both_labelled_with_its_sender_and_time(string query, string client)
    {
        var text = "hello from " + (query.Length == 0 ? "the default page" : query);
        var pushText = "pushed by a backend for " + client;
        await using var browser = await NodeClient.StartAsync("demo-browser.js", new
        {
            url = $"http://127.0.0.1:{_server.SocketIOPort}",
            query,
            text,
            pushUrl = _server.PushUri.ToString(),
            pushText,
        });

        var connected = await browser.WaitForEventAsync("connected", timeout: TimeSpan.FromSeconds(60));
        Assert.Contains(client, connected.GetProperty("status").GetString());
        var result = await browser.WaitForEventAsync("result", timeout: TimeSpan.FromSeconds(60));

        var first = Lines(result.GetProperty("first"));
        var second = Lines(result.GetProperty("second"));
        Assert.Equal("this page", Assert.Single(first, l => l.Text == text).Who);
        Assert.Equal("another client", Assert.Single(second, l => l.Text == text).Who);
        Assert.Equal("backend", Assert.Single(first, l => l.Text == pushText).Who);
        Assert.Equal("backend", Assert.Single(second, l => l.Text == pushText).Who);
        Assert.All(first.Concat(second), l => Assert.Matches(@"^\d\d:\d\d:\d\d$", l.Time));
        Assert.Contains(first, l => l.Text.StartsWith("connected as ", StringComparison.Ordinal));
        // Nothing the page asks for is missing: no favicon request, no 404.
        Assert.Empty(result.GetProperty("failedRequests").EnumerateArray());
    }

    private sealed record Line(string Time, string Who, string Text);

    private static List<Line> Lines(System.Text.Json.JsonElement lines) =>
        [.. lines.EnumerateArray().Select(l => new Line(
            l.GetProperty("time").GetString()!, l.GetProperty("who").GetString()!, l.GetProperty("text").GetString()!))];
}
