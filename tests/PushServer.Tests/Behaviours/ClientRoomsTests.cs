namespace PushServer.Tests.Behaviours;

/// <summary>Client join/leave events limited to allowed room patterns, with real socket.io clients.</summary>
public sealed class ClientRoomsTests : ResourceTests
{
    private InProcessServer _server = null!;

    public override async Task InitializeAsync() => _server = await StartInProcessAsync(new()
    {
        ["Rooms:Allowed:0"] = "news",
        ["Rooms:Allowed:1"] = "chat-*",
    });

    private async Task<NodeClient> ConnectAsync(int version = 4) =>
        (await ConnectClientAsync(new SocketIOClientConfig(_server.SocketIOUrl) { Version = version })).Client;

    private async Task<int> PushToRoomAsync(string room, string text)
    {
        using var push = _server.PushClient();
        var response = await push.PostAsync("api/emit", new StringContent(
            JsonSerializer.Serialize(new { @event = "room news", args = new[] { text }, rooms = new[] { room } }),
            System.Text.Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("recipients").GetInt32();
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task A_client_joins_an_allowed_room_and_gets_its_pushes(int version)
    {
        var client = await ConnectAsync(version);

        var ack = await client.EmitWithAckAsync("join", "chat-42");

        Assert.True(ack[0].GetProperty("ok").GetBoolean());
        Assert.Equal("chat-42", ack[0].GetProperty("room").GetString());
        Assert.Equal(1, await PushToRoomAsync("chat-42", "hello room"));
        Assert.Equal("hello room", (await client.WaitForServerEventAsync("room news")).GetProperty("args")[0].GetString());
    }

    [Theory]
    [InlineData("uid:7")]
    [InlineData("chat")]
    [InlineData("newsroom")]
    public async Task A_room_outside_the_patterns_is_refused(string room)
    {
        var client = await ConnectAsync();

        var ack = await client.EmitWithAckAsync("join", room);

        Assert.False(ack[0].GetProperty("ok").GetBoolean());
        Assert.Equal("room not allowed", ack[0].GetProperty("error").GetString());
        Assert.Equal(0, await PushToRoomAsync(room, "private"));
    }

    [Fact]
    public async Task A_join_without_a_room_name_is_refused()
    {
        var client = await ConnectAsync();

        var ack = await client.EmitWithAckAsync("join", 42);

        Assert.False(ack[0].GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Leaving_a_room_stops_its_pushes()
    {
        var client = await ConnectAsync();
        await client.EmitWithAckAsync("join", "news");
        Assert.Equal(1, await PushToRoomAsync("news", "first"));

        var ack = await client.EmitWithAckAsync("leave", "news");

        Assert.True(ack[0].GetProperty("ok").GetBoolean());
        Assert.Equal(0, await PushToRoomAsync("news", "second"));
    }
}
