namespace PushServer.Tests.PushApi;

/// <summary>
/// <c>POST /api/sockets/disconnect</c> with <c>close</c>, against real socket.io-client 4.x clients that reconnect by
/// themselves and with connection state recovery on: a kicked client must stay off, as with socket.io's
/// <c>disconnectSockets(true)</c>, not come back recovered with the same id.
/// </summary>
public sealed class KickTests : ResourceTests
{
    private InProcessServer _server = null!;

    public override async Task InitializeAsync() =>
        _server = await StartInProcessAsync(new()
        {
            ["SocketIO:ConnectionStateRecovery:Enabled"] = "true",
        });

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task A_client_kicked_with_close_hears_io_server_disconnect_and_stays_off(string transport)
    {
        await using var client = await NodeClient.StartSocketIOAsync(
            new SocketIOClientConfig($"http://127.0.0.1:{_server.SocketIOPort}") { Transports = [transport], Reconnection = true });
        var id = (await client.WaitForEventAsync("connect")).GetProperty("id").GetString();
        using var push = _server.PushClient();

        using var response = await push.PostAsJsonAsync("api/sockets/disconnect", new { socketId = id, close = true });

        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sockets").GetInt32());
        var disconnect = await client.WaitForEventAsync("disconnect");
        Assert.Equal("io server disconnect", disconnect.GetProperty("reason").GetString());
        // The client's own verdict: it will not try again.
        Assert.False(disconnect.GetProperty("active").GetBoolean());
        var sockets = await push.GetFromJsonAsync<JsonElement>("api/namespaces/%2F/sockets");
        Assert.Equal(0, sockets.GetProperty("sockets").GetArrayLength());
    }
}
