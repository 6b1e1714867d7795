using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace PushServer.SocketIO.Tests.Wire;

/// <summary>Literal payloads over HTTP long-polling, for both Engine.IO generations.</summary>
public sealed class PollingWireTests : IAsyncLifetime
{
    private KestrelTestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await KestrelTestServer.StartAsync(
            services => services.AddSocketIO(),
            app => app.MapSocketIO("/socket.io", io => io.OnConnection(socket =>
                socket.On("want-bytes", e => e.Socket.Emit("bytes", new byte[] { 1, 2, 3 })))));
        _http = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<string> GetAsync(string query) =>
        await (await _http.GetAsync("socket.io/?" + query)).Content.ReadAsStringAsync();

    private async Task PostAsync(string query, string body)
    {
        var response = await _http.PostAsync("socket.io/?" + query, new StringContent(body, Encoding.UTF8, "text/plain"));
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task V4_polling_connect_then_binary_event_arrives_as_base64_record()
    {
        var open = await GetAsync("EIO=4&transport=polling");
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString();
        var q = $"EIO=4&transport=polling&sid={sid}";

        await PostAsync(q, "40");
        Assert.Matches("^40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"\\}$", await GetAsync(q));

        await PostAsync(q, "42[\"want-bytes\"]");
        Assert.Equal("451-[\"bytes\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID", await GetAsync(q));
    }

    [Fact]
    public async Task V3_polling_client_gets_the_implicit_connect_on_its_next_poll()
    {
        var open = await GetAsync("EIO=3&transport=polling&b64=1");
        var start = open.IndexOf('{');
        var sid = JsonDocument.Parse(open[start..]).RootElement.GetProperty("sid").GetString();

        Assert.Equal("2:40", await GetAsync($"EIO=3&transport=polling&b64=1&sid={sid}"));
    }
}
