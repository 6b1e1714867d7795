namespace PushServer.Tests.Behaviours;

/// <summary>web-msg-sender's login and online count, with real socket.io clients (its pages use 2.x).</summary>
public sealed class WebMsgSenderTests : ResourceTests
{
    private async Task<InProcessServer> StartAsync(bool login)
    {
        return await StartInProcessAsync(new()
        {
            ["WebMsgSender:Login"] = login ? "true" : "false",
            ["WebMsgSender:OnlineCount"] = login ? "true" : "false",
        });
    }

    private async Task<NodeClient> ConnectAsync(InProcessServer server, int version = 2) =>
        (await ConnectClientAsync(new SocketIOClientConfig(server.SocketIOUrl) { Version = version })).Client;

    [Fact]
    public async Task Login_joins_the_uid_room_the_form_api_pushes_to_and_counts_who_is_online()
    {
        var server = await StartAsync(login: true);
        var alice = await ConnectAsync(server);
        var bob = await ConnectAsync(server, version: 4);

        await alice.EmitAsync("login", "1001");
        Assert.Equal("<b>1</b> users online, <b>1</b> pages open",
            (await alice.WaitForServerEventAsync("update_online_count")).GetProperty("args")[0].GetString());
        await bob.EmitAsync("login", 1002);
        await bob.WaitForEventAsync("event", e => e.GetProperty("name").GetString() == "update_online_count"
            && e.GetProperty("args")[0].GetString() == "<b>2</b> users online, <b>2</b> pages open");

        using var push = server.PushClient();
        Assert.Equal("ok", await push.GetStringAsync("?type=publish&to=1001&content=for+alice"));
        Assert.Equal("for alice", (await alice.WaitForServerEventAsync("new_msg")).GetProperty("args")[0].GetString());
        Assert.Equal("offline", await push.GetStringAsync("?type=publish&to=9999&content=nobody"));

        await bob.DisposeAsync();
        // After the 2-user count, alice is told the count went back to one when bob's page closed.
        await alice.WaitForEventAsync("event", e => e.GetProperty("name").GetString() == "update_online_count"
            && e.GetProperty("args")[0].GetString() == "<b>2</b> users online, <b>2</b> pages open");
        await alice.WaitForEventAsync("event", e => e.GetProperty("name").GetString() == "update_online_count"
            && e.GetProperty("args")[0].GetString() == "<b>1</b> users online, <b>1</b> pages open");
    }

    [Fact]
    public async Task Login_is_ignored_unless_enabled()
    {
        var server = await StartAsync(login: false);
        var client = await ConnectAsync(server);

        await client.EmitAsync("login", "1001");
        await client.EmitWithAckAsync("echo", "sync");

        using var push = server.PushClient();
        Assert.Equal("offline", await push.GetStringAsync("?type=publish&to=1001&content=x"));
    }
}
