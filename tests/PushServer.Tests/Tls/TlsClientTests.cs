namespace PushServer.Tests.Tls;

/// <summary>
/// Real clients over <c>wss://</c> and <c>https://</c> polling, each trusting only a CA made for the test: the
/// socket.io-client 4.x and 2.x npm packages, python-socketio, and the demo page in headless Chromium.
/// </summary>
public sealed class TlsClientTests : IAsyncLifetime
{
    private TlsTestServer _tls = null!;

    public async Task InitializeAsync() => _tls = await TlsTestServer.StartAsync();

    public Task DisposeAsync() => _tls.DisposeAsync().AsTask();

    private string HttpsUrl => $"https://127.0.0.1:{_tls.Server.SocketIOPort}";

    [Theory]
    [InlineData(4, "websocket")]
    [InlineData(4, "polling")]
    [InlineData(2, "websocket")]
    [InlineData(2, "polling")]
    public async Task Socket_io_client_connects_and_receives_a_push(int version, string transport)
    {
        await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(HttpsUrl)
        {
            Version = version,
            Transports = [transport],
            Options = new Dictionary<string, object?> { ["ca"] = _tls.Ca.CaPem },
        });

        var connect = await client.WaitForEventAsync("connect");
        Assert.Equal(transport, connect.GetProperty("transport").GetString());
        await PushAsync("over tls");
        var pushed = await client.WaitForServerEventAsync("chat message");
        Assert.Equal("over tls", pushed.GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task Wss_works_through_the_HTTP_path_too_with_connection_level_WebSockets_off()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["Server:Tls:CertificateFile"] = _tls.Certificate.CertificateFile,
            ["Server:Tls:KeyFile"] = _tls.Certificate.KeyFile,
            ["Server:ConnectionLevelWebSockets"] = "false",
        });
        await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig($"https://127.0.0.1:{server.SocketIOPort}")
        {
            Transports = ["websocket"],
            Options = new Dictionary<string, object?> { ["ca"] = _tls.Ca.CaPem },
        });

        await client.WaitForEventAsync("connect");
        using var push = server.PushClient();
        Assert.Equal("ok", await push.GetStringAsync("?msg=through%20http"));
        var pushed = await client.WaitForServerEventAsync("chat message");
        Assert.Equal("through http", pushed.GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task Socket_io_client_upgrades_from_https_polling_to_wss()
    {
        await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(HttpsUrl)
        {
            Options = new Dictionary<string, object?> { ["ca"] = _tls.Ca.CaPem },
        });

        await client.WaitForEventAsync("connect");
        var upgrade = await client.WaitForEventAsync("upgrade");
        Assert.Equal("websocket", upgrade.GetProperty("transport").GetString());
        var ack = await client.EmitWithAckAsync("chat message", "hello");
        Assert.NotEqual(JsonValueKind.Undefined, ack.ValueKind);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_CA_is_refused()
    {
        await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(HttpsUrl) { Transports = ["websocket"] });

        var error = await client.WaitForEventAsync("connect_error");
        Assert.NotEqual(JsonValueKind.Undefined, error.ValueKind);
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task Python_socketio_connects_and_receives_a_push(string transport)
    {
        await using var client = PythonSocketIOClient.Start(HttpsUrl, _tls.Ca.CaFile, transport);

        var connect = await client.WaitForAsync("connect");
        Assert.Equal(transport, connect.GetProperty("transport").GetString());
        await PushAsync("to python");
        var pushed = await client.WaitForAsync("event");
        Assert.Equal("chat message", pushed.GetProperty("name").GetString());
        Assert.Equal("to python", pushed.GetProperty("args")[0].GetString());
    }

    [Theory]
    [InlineData("", "client 4.x")]
    [InlineData("client=2", "client 2.x")]
    [InlineData("transport=polling", "client 4.x")]
    public async Task The_demo_page_works_over_https_in_Chromium_trusting_the_certificate(string query, string clientLabel)
    {
        var text = "typed over tls " + query;
        await using var browser = await NodeClient.StartAsync("demo-browser.js", new
        {
            url = HttpsUrl,
            query,
            text,
            args = new[] { "--ignore-certificate-errors-spki-list=" + _tls.Certificate.SpkiSha256 },
        });

        var connected = await browser.WaitForEventAsync("connected", timeout: TimeSpan.FromSeconds(60));
        Assert.Contains(clientLabel, connected.GetProperty("status").GetString());
        var result = await browser.WaitForEventAsync("result", timeout: TimeSpan.FromSeconds(60));
        Assert.Contains(text, result.GetProperty("second").EnumerateArray().Select(e => e.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Chromium_without_the_certificate_trusted_does_not_load_the_page()
    {
        await using var browser = await NodeClient.StartAsync("demo-browser.js", new { url = HttpsUrl, text = "x" });

        var fatal = await browser.WaitForEventAsync("fatal", timeout: TimeSpan.FromSeconds(60));
        Assert.Contains("ERR_CERT", fatal.GetProperty("message").GetString());
    }

    private async Task PushAsync(string message)
    {
        using var push = _tls.Server.PushClient();
        Assert.Equal("ok", await push.GetStringAsync("?msg=" + Uri.EscapeDataString(message)));
    }
}
