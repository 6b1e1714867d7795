using System.Net;
using PushServer.Tests.Infrastructure;

namespace PushServer.Tests.Behaviours;

/// <summary>The demo page and the client bundles on the Socket.IO port, beside the push API's own <c>/</c>.</summary>
public sealed class DemoPageTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

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
    [InlineData("/socket.io/socket.io.js", "4.8.1")]
    [InlineData("/socket.io/socket.io.min.js", "4.8.1")]
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
}
