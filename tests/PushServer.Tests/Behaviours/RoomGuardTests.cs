namespace PushServer.Tests.Behaviours;

/// <summary>
/// What clients may not do with rooms: relay into a room they have not joined (such as another user's push room), or
/// join a room no pattern allows; and the sender-rooms relay and regular-expression patterns.
/// </summary>
public sealed class RoomGuardTests : ResourceTests
{
    private Task<(NodeClient Client, string Id)> ConnectAsync(InProcessServer server, int version = 4) =>
        ConnectClientAsync(new SocketIOClientConfig(server.SocketIOUrl) { Version = version });

    private static async Task JoinAsync(InProcessServer server, string socketId, string room)
    {
        using var push = server.PushClient();
        using var response = await push.PostAsync("api/sockets/join", new StringContent(
            JsonSerializer.Serialize(new { socketId, targetRooms = new[] { room } }), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode);
    }

    /// <summary>The client's next server event is a marker pushed now to everyone: nothing else reached it before.</summary>
    private static async Task AssertNothingBeforeMarkerAsync(InProcessServer server, NodeClient client)
    {
        using var push = server.PushClient();
        Assert.Equal("ok", await push.GetStringAsync("?msg=marker"));
        var next = await client.WaitForEventAsync("event");
        Assert.Equal("chat message", next.GetProperty("name").GetString());
        Assert.Equal("marker", next.GetProperty("args")[0].GetString());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task A_client_cannot_relay_into_another_users_push_room(int version)
    {
        var server = await StartInProcessAsync(new() { ["Relay:Rules:say:To"] = "room", ["Relay:Rules:say:EmitAs"] = "said" });
        var (victim, victimId) = await ConnectAsync(server);
        var (attacker, _) = await ConnectAsync(server, version);
        await JoinAsync(server, victimId, "uid:42");

        var answer = await attacker.EmitWithAckAsync("say", "uid:42", "spoofed push");

        Assert.Equal("join the room first", answer[0].GetProperty("error").GetString());
        await AssertNothingBeforeMarkerAsync(server, victim);
    }

    [Fact]
    public async Task A_client_cannot_relay_to_another_socket_by_its_id()
    {
        var server = await StartInProcessAsync(new() { ["Relay:Rules:say:To"] = "room", ["Relay:Rules:say:EmitAs"] = "said" });
        var (victim, victimId) = await ConnectAsync(server);
        var (attacker, _) = await ConnectAsync(server);

        var answer = await attacker.EmitWithAckAsync("say", victimId, "direct");

        Assert.Equal("join the room first", answer[0].GetProperty("error").GetString());
        await AssertNothingBeforeMarkerAsync(server, victim);
    }

    [Fact]
    public async Task A_member_still_relays_into_its_room()
    {
        var server = await StartInProcessAsync(new() { ["Relay:Rules:say:To"] = "room", ["Relay:Rules:say:EmitAs"] = "said" });
        var (sender, senderId) = await ConnectAsync(server);
        var (member, memberId) = await ConnectAsync(server);
        await JoinAsync(server, senderId, "team");
        await JoinAsync(server, memberId, "team");

        await sender.EmitWithAckAsync("say", "team", "hello team");

        var said = await member.WaitForServerEventAsync("said");
        Assert.Equal("hello team", said.GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task The_sender_rooms_rule_reaches_every_room_of_the_sender_and_nobody_else()
    {
        var server = await StartInProcessAsync(new()
        {
            ["Relay:Rules:shout:To"] = "sender-rooms",
            ["Relay:Rules:shout:IncludeSender"] = "false",
        });
        var (sender, senderId) = await ConnectAsync(server);
        var (inA, inAId) = await ConnectAsync(server);
        var (inB, inBId) = await ConnectAsync(server, version: 2);
        var (elsewhere, elsewhereId) = await ConnectAsync(server);
        await JoinAsync(server, senderId, "a");
        await JoinAsync(server, senderId, "b");
        await JoinAsync(server, inAId, "a");
        await JoinAsync(server, inBId, "b");
        await JoinAsync(server, elsewhereId, "c");

        await sender.EmitWithAckAsync("shout", "to my rooms");

        foreach (var client in new[] { inA, inB })
        {
            Assert.Equal("to my rooms", (await client.WaitForServerEventAsync("shout")).GetProperty("args")[0].GetString());
        }
        await AssertNothingBeforeMarkerAsync(server, sender);
        await AssertNothingBeforeMarkerAsync(server, elsewhere);
    }

    [Fact]
    public async Task A_regular_expression_pattern_allows_only_whole_matching_names()
    {
        var server = await StartInProcessAsync(new() { ["Rooms:Allowed:0"] = "/game-[0-9]+/" });
        var (client, _) = await ConnectAsync(server);

        var allowed = (await client.EmitWithAckAsync("join", "game-17"))[0];
        var letters = (await client.EmitWithAckAsync("join", "game-x"))[0];
        var prefixed = (await client.EmitWithAckAsync("join", "xgame-1"))[0];

        Assert.True(allowed.GetProperty("ok").GetBoolean());
        Assert.False(letters.GetProperty("ok").GetBoolean());
        Assert.False(prefixed.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_pattern_that_is_not_a_valid_regular_expression_is_a_configuration_error_naming_its_key()
    {
        using var config = TempConfig.Write("""{"Rooms":{"Allowed":["news","/game-[0-9/"]}}""");

        var run = await CliRun.InvokeAsync("config", "check", "--config", config.Path);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.Contains("Rooms:Allowed:1 is not a valid regular expression", StringComparison.Ordinal));
    }
}
