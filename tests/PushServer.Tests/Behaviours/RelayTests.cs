namespace PushServer.Tests.Behaviours;

/// <summary>Relay rules from configuration, with real socket.io clients against the in-process server.</summary>
public sealed class RelayTests : ResourceTests
{
    private async Task<NodeClient> ConnectAsync(InProcessServer server, int version = 4) =>
        (await ConnectClientAsync(new SocketIOClientConfig(server.SocketIOUrl) { Version = version })).Client;

    private static string[] Strings(JsonElement args) => args.EnumerateArray().Select(a => a.GetString()!).ToArray();

    [Fact]
    public async Task By_default_a_chat_message_reaches_everyone_as_chat_message_from_server()
    {
        var server = await StartInProcessAsync();
        var sender = await ConnectAsync(server);
        var other = await ConnectAsync(server, version: 2);

        await sender.EmitAsync("chat message", "hello all");

        Assert.Equal(["hello all"], Strings((await other.WaitForServerEventAsync("chat message from server")).GetProperty("args")));
        Assert.Equal(["hello all"], Strings((await sender.WaitForServerEventAsync("chat message from server")).GetProperty("args")));
    }

    [Fact]
    public async Task By_default_echo_is_acked_with_its_own_arguments()
    {
        var server = await StartInProcessAsync();
        var client = await ConnectAsync(server);

        Assert.Equal(["a", "b"], Strings(await client.EmitWithAckAsync("echo", "a", "b")));
    }

    [Fact]
    public async Task A_room_rule_without_the_sender_reaches_only_the_other_members()
    {
        var server = await StartInProcessAsync(new()
        {
            ["Relay:Rules:say:To"] = "room",
            ["Relay:Rules:say:EmitAs"] = "said",
            ["Relay:Rules:say:IncludeSender"] = "false",
        });
        var sender = await ConnectAsync(server);
        var member = await ConnectAsync(server);
        var outsider = await ConnectAsync(server);
        using var push = server.PushClient();
        var senderId = sender.Events.First(e => e.GetProperty("event").GetString() == "connect").GetProperty("id").GetString();
        var memberId = member.Events.First(e => e.GetProperty("event").GetString() == "connect").GetProperty("id").GetString();
        foreach (var id in new[] { senderId, memberId })
        {
            var join = await push.PostAsync("api/sockets/join", JsonContent(new { socketId = id, targetRooms = new[] { "team" } }));
            Assert.True(join.IsSuccessStatusCode);
        }

        await sender.EmitWithAckAsync("say", "team", "hi team");

        Assert.Equal(["hi team"], Strings((await member.WaitForServerEventAsync("said")).GetProperty("args")));
        // Round trips after the relay prove the others would have received it by now.
        await sender.EmitWithAckAsync("echo", "sync");
        await outsider.EmitWithAckAsync("echo", "sync");
        Assert.DoesNotContain(sender.Events, IsSaid);
        Assert.DoesNotContain(outsider.Events, IsSaid);
    }

    [Fact]
    public async Task A_rule_can_be_switched_off()
    {
        var server = await StartInProcessAsync(new() { ["Relay:Rules:chat message:To"] = "none" });
        var client = await ConnectAsync(server);

        await client.EmitAsync("chat message", "ignored");
        await client.EmitWithAckAsync("echo", "sync");

        Assert.DoesNotContain(client.Events, e => e.GetProperty("event").GetString() == "event"
            && e.GetProperty("name").GetString() == "chat message from server");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task A_reply_rule_acks_the_event_with_the_configured_string_and_relays_nothing(int version)
    {
        var server = await StartInProcessAsync(new() { ["Relay:Rules:hello:Reply"] = "got it" });
        var client = await ConnectAsync(server, version);
        var other = await ConnectAsync(server, version: 4);

        Assert.Equal(["got it"], Strings(await client.EmitWithAckAsync("hello", "world")));

        // Round trips after the ack prove a relayed hello would have arrived by now.
        await client.EmitWithAckAsync("echo", "sync");
        await other.EmitWithAckAsync("echo", "sync");
        Assert.DoesNotContain(client.Events, e => IsEvent(e, "hello"));
        Assert.DoesNotContain(other.Events, e => IsEvent(e, "hello"));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task A_relay_rule_with_a_reply_relays_and_acks_with_the_reply(int version)
    {
        var server = await StartInProcessAsync(new() { ["Relay:Rules:chat message:Reply"] = "delivered" });
        var sender = await ConnectAsync(server, version);
        var other = await ConnectAsync(server, version: 4);

        Assert.Equal(["delivered"], Strings(await sender.EmitWithAckAsync("chat message", "hello all")));

        Assert.Equal(["hello all"], Strings((await other.WaitForServerEventAsync("chat message from server")).GetProperty("args")));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task A_json_reply_is_sent_as_that_json_value(int version)
    {
        var server = await StartInProcessAsync(new() { ["Relay:Rules:hello:ReplyJson"] = """{"ok":true,"n":[1,"two"]}""" });
        var client = await ConnectAsync(server, version);

        var args = await client.EmitWithAckAsync("hello", "world");

        Assert.Equal("""[{"ok":true,"n":[1,"two"]}]""", args.GetRawText());
    }

    [Fact]
    public async Task A_reply_replaces_the_echo_of_an_ack_rule()
    {
        var server = await StartInProcessAsync(new() { ["Relay:Rules:echo:Reply"] = "pong" });
        var client = await ConnectAsync(server);

        Assert.Equal(["pong"], Strings(await client.EmitWithAckAsync("echo", "ping")));
    }

    private static bool IsEvent(JsonElement e, string name) =>
        e.GetProperty("event").GetString() == "event" && e.GetProperty("name").GetString() == name;

    private static bool IsSaid(JsonElement e) =>
        e.GetProperty("event").GetString() == "event" && e.GetProperty("name").GetString() == "said";

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
