using PushServer.Tests.Infrastructure;

namespace PushServer.Tests.Behaviours;

/// <summary>The demo chat in headless Chromium: a message typed in one page appears in both.</summary>
public sealed class DemoBrowserTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("", "client 4.x")]
    [InlineData("client=2", "client 2.x")]
    [InlineData("transport=polling", "client 4.x")]
    public async Task A_message_typed_in_one_page_appears_in_both(string query, string client)
    {
        var text = "hello from " + (query.Length == 0 ? "the default page" : query);
        await using var browser = await NodeClient.StartAsync("demo-browser.js", new { url = $"http://127.0.0.1:{_server.SocketIOPort}", query, text });

        var connected = await browser.WaitForEventAsync("connected", timeout: TimeSpan.FromSeconds(60));
        Assert.Contains(client, connected.GetProperty("status").GetString());
        var result = await browser.WaitForEventAsync("result", timeout: TimeSpan.FromSeconds(60));

        Assert.Contains(text, result.GetProperty("first").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(text, result.GetProperty("second").EnumerateArray().Select(e => e.GetString()));
    }
}
