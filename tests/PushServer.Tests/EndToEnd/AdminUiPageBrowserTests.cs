using System.Net.Http.Json;
using PushServer.Tests.Infrastructure;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// The Admin UI page the executable serves at <c>/admin/</c> on its push port, in headless Chromium: a person logs in,
/// sees the connected clients with their rooms and the dashboard's counts, and disconnects a client; the page loads
/// nothing from outside this machine.
/// </summary>
public sealed class AdminUiPageBrowserTests : IAsyncLifetime
{
    private const string Username = "admin";
    private const string Password = "page test password";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(60);
    private readonly TestResources _resources = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _resources.DisposeAsync();

    [Fact]
    public async Task A_person_logs_in_sees_a_client_with_its_rooms_and_the_connection_count_and_disconnects_the_client()
    {
        var server = await StartServerAsync();
        var (client, clientId) = await ConnectAsync(server);
        using var push = new HttpClient { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(30) };
        var joined = await push.PostAsJsonAsync("api/sockets/join", new { socketId = clientId, targetRooms = new[] { "news", "vip" } });
        joined.EnsureSuccessStatusCode();

        await using var browser = await NodeClient.StartAsync("admin-ui-browser.js", new
        {
            url = new Uri(server.PushUri, "admin/").ToString(),
            username = Username,
            password = Password,
        });
        var connected = await browser.WaitForEventAsync("connected", timeout: BrowserTimeout);
        // config.js pointed the UI at the Socket.IO port, which is not the port the page came from.
        Assert.Equal(server.SocketIOUrl, connected.GetProperty("serverUrl").GetString());

        await browser.SendAsync(new { op = "socket", id = clientId });
        var socket = await browser.WaitForEventAsync("socket", timeout: BrowserTimeout);
        Assert.Equal(new[] { clientId, "news", "vip" }.Order(StringComparer.Ordinal),
            socket.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal));

        // The test client and the UI's own socket, then one more client.
        await browser.SendAsync(new { op = "dashboard", websocket = 2 });
        var before = await browser.WaitForEventAsync("dashboard", timeout: BrowserTimeout);
        Assert.Contains(before.GetProperty("namespaces").EnumerateArray(), n => n.GetProperty("name").GetString() == "/" && n.GetProperty("sockets").GetInt32() == 1);
        await ConnectAsync(server);
        await browser.SendAsync(new { op = "dashboard", websocket = 3 });
        var after = await browser.WaitForEventAsync("dashboard", timeout: BrowserTimeout);
        Assert.Contains(after.GetProperty("namespaces").EnumerateArray(), n => n.GetProperty("name").GetString() == "/" && n.GetProperty("sockets").GetInt32() == 2);

        await browser.SendAsync(new { op = "disconnect", id = clientId });
        await browser.WaitForEventAsync("disconnected", timeout: BrowserTimeout);
        var disconnect = await client.WaitForEventAsync("disconnect");
        Assert.Equal("io server disconnect", disconnect.GetProperty("reason").GetString());
        await browser.SendAsync(new { op = "dashboard", websocket = 2 });
        var afterDisconnect = await browser.WaitForEventAsync("dashboard", timeout: BrowserTimeout);
        Assert.Contains(afterDisconnect.GetProperty("namespaces").EnumerateArray(), n => n.GetProperty("name").GetString() == "/" && n.GetProperty("sockets").GetInt32() == 1);

        await browser.SendAsync(new { op = "requests" });
        var requests = await browser.WaitForEventAsync("requests", timeout: BrowserTimeout);
        Assert.Empty(requests.GetProperty("outside").EnumerateArray());
        Assert.Empty(requests.GetProperty("failed").EnumerateArray());
    }

    [Fact]
    public async Task The_page_and_its_files_are_served_with_their_content_types_config_js_names_the_socket_io_port_and_the_status_page_links_it()
    {
        var server = await StartServerAsync();
        using var http = new HttpClient { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(30) };

        var page = await http.GetAsync("admin/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"config.js\"></script><script src=\"js/", html, StringComparison.Ordinal);
        var config = await http.GetAsync("admin/config.js");
        Assert.Equal("application/javascript", config.Content.Headers.ContentType?.MediaType);
        var script = await config.Content.ReadAsStringAsync();
        Assert.Contains($"localStorage.setItem(\"server_url\", \"{server.SocketIOUrl}\");", script, StringComparison.Ordinal);
        Assert.Contains("localStorage.setItem(\"namespace\", \"/admin\");", script, StringComparison.Ordinal);
        var icons = await http.GetAsync("admin/mdi/css/materialdesignicons.min.css");
        Assert.Equal("text/css", icons.Content.Headers.ContentType?.MediaType);
        var font = await http.GetAsync("admin/mdi/fonts/materialdesignicons-webfont.woff2?v=7.4.47");
        Assert.Equal("font/woff2", font.Content.Headers.ContentType?.MediaType);

        Assert.Contains("<a href=\"admin/\">", await StatusPageAsync(http), StringComparison.Ordinal);

        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.PushUri };
        var bare = await noRedirect.GetAsync("admin");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/admin/", bare.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Without_AdminUi_enabled_the_page_is_not_found_and_the_status_page_does_not_link_it()
    {
        var server = await ServerProcess.StartAsync();
        _resources.AddDisposedLast(server);
        using var http = new HttpClient { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(30) };

        var page = await http.GetAsync("admin/");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("admin/", await StatusPageAsync(http), StringComparison.Ordinal);
    }

    /// <summary>The push port's <c>/</c> as a browser asks for it.</summary>
    private static async Task<string> StatusPageAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "");
        request.Headers.Accept.ParseAdd("text/html");
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<ServerProcess> StartServerAsync()
    {
        var server = await ServerProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["PUSHSERVER_AdminUi__Enabled"] = "true",
            ["PUSHSERVER_AdminUi__Username"] = Username,
            ["PUSHSERVER_AdminUi__PasswordHash"] = BCrypt.Net.BCrypt.HashPassword(Password, 4),
        });
        _resources.AddDisposedLast(server);
        return server;
    }

    private async Task<(NodeClient Client, string Id)> ConnectAsync(ServerProcess server)
    {
        var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(server.SocketIOUrl) { Transports = ["websocket"] });
        _resources.Add(client);
        var connect = await client.WaitForEventAsync("connect");
        return (client, connect.GetProperty("id").GetString()!);
    }
}
