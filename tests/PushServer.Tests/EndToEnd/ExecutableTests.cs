using System.Diagnostics;

namespace PushServer.Tests.EndToEnd;

/// <summary>The real executable as a child process, with real socket.io clients (4.x and 2.x) from Node.</summary>
public sealed class ExecutableTests : ResourceTests
{
    private async Task<ServerProcess> StartServerAsync(string[]? args = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Resources.AddDisposedLast(await ServerProcess.StartAsync(args, environment));

    private Task<(NodeClient Client, string Id)> ConnectAsync(ServerProcess server, int version, string[]? transports = null, bool reconnection = false) =>
        ConnectClientAsync(new SocketIOClientConfig(server.SocketIOUrl)
        {
            Version = version,
            Transports = transports,
            Reconnection = reconnection,
        });

    private static HttpClient Push(ServerProcess server) => new() { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The client's next server event is the marker sent now to everyone: nothing came before it.</summary>
    private static async Task AssertNextEventIsMarkerAsync(HttpClient push, NodeClient client)
    {
        Assert.Equal("ok", await push.GetStringAsync("?msg=marker"));
        var next = await client.WaitForEventAsync("event");
        Assert.Equal("chat message", next.GetProperty("name").GetString());
        Assert.Equal("marker", next.GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task Socket_io_client_4_and_2_both_receive_chat_message_after_get_msg()
    {
        var server = await StartServerAsync();
        var (v4, _) = await ConnectAsync(server, version: 4);
        var (v2, _) = await ConnectAsync(server, version: 2);
        using var push = Push(server);

        Assert.Equal("ok", await push.GetStringAsync("?msg=hello%20both"));

        foreach (var client in new[] { v4, v2 })
        {
            var message = await client.WaitForServerEventAsync("chat message");
            Assert.Equal("hello both", message.GetProperty("args")[0].GetString());
        }
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Every_transport_works_with_connection_level_WebSockets_and_inline_IO_on_and_off(bool connectionLevel, bool inlineIo)
    {
        var server = await StartServerAsync(environment: new Dictionary<string, string>
        {
            ["PUSHSERVER_Server__ConnectionLevelWebSockets"] = connectionLevel ? "true" : "false",
            ["PUSHSERVER_Server__InlineIo"] = inlineIo ? "true" : "false",
        });
        var (webSocketOnly, _) = await ConnectAsync(server, version: 4, transports: ["websocket"]);
        var (upgraded, _) = await ConnectAsync(server, version: 4);
        var (pollingOnly, _) = await ConnectAsync(server, version: 4, transports: ["polling"]);
        var (old, _) = await ConnectAsync(server, version: 2);
        using var push = Push(server);

        Assert.Equal("ok", await push.GetStringAsync("?msg=to%20all"));

        foreach (var client in new[] { webSocketOnly, upgraded, pollingOnly, old })
        {
            var message = await client.WaitForServerEventAsync("chat message");
            Assert.Equal("to all", message.GetProperty("args")[0].GetString());
        }
    }

    [Fact]
    public async Task Form_api_reaches_only_the_users_room_and_answers_offline_for_an_unknown_user()
    {
        var server = await StartServerAsync();
        var (user, userId) = await ConnectAsync(server, version: 4);
        var (other, _) = await ConnectAsync(server, version: 4);
        using var push = Push(server);
        using var join = await push.PostAsJsonAsync("api/sockets/join", new { socketId = userId, targetRooms = new[] { "uid:alice" } });
        join.EnsureSuccessStatusCode();

        using var sent = await push.PostAsync("", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["type"] = "publish", ["to"] = "alice", ["content"] = "for alice",
        }));
        var offline = await push.GetStringAsync("?type=publish&to=bob&content=for%20bob");

        Assert.Equal("ok", await sent.Content.ReadAsStringAsync());
        Assert.Equal("offline", offline);
        var received = await user.WaitForEventAsync("event");
        Assert.Equal("new_msg", received.GetProperty("name").GetString());
        Assert.Equal("for alice", received.GetProperty("args")[0].GetString());
        await AssertNextEventIsMarkerAsync(push, other);
    }

    [Fact]
    public async Task Emit_api_reaches_a_room_minus_the_excepted_socket_and_returns_the_acks()
    {
        var server = await StartServerAsync();
        var (member, memberId) = await ConnectAsync(server, version: 4);
        var (excepted, exceptedId) = await ConnectAsync(server, version: 4);
        using var push = Push(server);
        using var join = await push.PostAsJsonAsync("api/sockets/join", new { rooms = new[] { memberId, exceptedId }, targetRooms = new[] { "team" } });
        Assert.Equal(2, (await join.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sockets").GetInt32());

        var emit = push.PostAsJsonAsync("api/emit", new
        {
            @event = "task",
            args = new object[] { "build", 7 },
            rooms = new[] { "team" },
            except = new[] { exceptedId },
            ackTimeoutMs = 10_000,
        });
        var received = await member.WaitForServerEventAsync("task");
        Assert.Equal("""["build",7]""", received.GetProperty("args").GetRawText());
        await member.AckAsync(received.GetProperty("ackId").GetInt32(), new { done = true });
        using var response = await emit;

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("recipients").GetInt32());
        Assert.Equal("""[{"done":true}]""", body.GetProperty("acks").GetRawText());
        Assert.False(body.GetProperty("ackTimedOut").GetBoolean());
        await AssertNextEventIsMarkerAsync(push, excepted);
    }

    [Fact]
    public async Task Push_and_status_verbs_work_against_the_running_executable()
    {
        var server = await StartServerAsync(["--push-token", "e2e-push-token-0123"]);
        var (client, _) = await ConnectAsync(server, version: 4);
        var url = server.PushUri.ToString();

        var pushed = await ServerProcess.RunVerbAsync("push", "--url", url, "--token", "e2e-push-token-0123", "--event", "alert", "--data", "\"disk full\"");
        var status = await ServerProcess.RunVerbAsync("status", "--url", url, "--token", "e2e-push-token-0123");
        var statusJson = await ServerProcess.RunVerbAsync("status", "--url", url, "--token", "e2e-push-token-0123", "--json");
        var refused = await ServerProcess.RunVerbAsync("status", "--url", url);
        var version = await ServerProcess.RunVerbAsync("--version");

        Assert.True(pushed.ExitCode == 0, pushed.Error);
        Assert.Contains("to 1 socket", pushed.Output);
        var alert = await client.WaitForServerEventAsync("alert");
        Assert.Equal("disk full", alert.GetProperty("args")[0].GetString());
        Assert.Equal(0, status.ExitCode);
        Assert.Matches(@"Connections\s+1", status.Output);
        Assert.Equal(1, JsonDocument.Parse(statusJson.Output).RootElement.GetProperty("connections").GetInt32());
        Assert.Equal(6, refused.ExitCode);
        Assert.StartsWith("0.1.0", version.Output.Trim());
    }

    [Fact]
    public async Task Sigterm_with_connected_clients_exits_0_within_the_drain_budget_and_the_clients_reconnect()
    {
        const int budgetSeconds = 6;
        var server = await StartServerAsync(environment: new Dictionary<string, string>
        {
            ["PUSHSERVER_Shutdown__DrainSeconds"] = budgetSeconds.ToString(),
        });
        var (websocket, _) = await ConnectAsync(server, version: 4, transports: ["websocket"], reconnection: true);
        var (polling, _) = await ConnectAsync(server, version: 2, transports: ["polling"], reconnection: true);
        using var push = Push(server);
        Assert.Equal("ok", await push.GetStringAsync("?msg=before%20shutdown"));
        await websocket.WaitForServerEventAsync("chat message");
        await polling.WaitForServerEventAsync("chat message");

        var clock = Stopwatch.StartNew();
        server.Terminate();
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(budgetSeconds + 10));
        clock.Stop();

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{server.Output}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(budgetSeconds), $"took {clock.Elapsed}\n{server.Output}");
        Assert.Contains("Drained", server.Output);
        foreach (var client in new[] { websocket, polling })
        {
            var disconnect = await client.WaitForEventAsync("disconnect");
            Assert.Equal("transport close", disconnect.GetProperty("reason").GetString());
            await client.WaitForEventAsync("reconnect_attempt");
        }
    }

    [Fact]
    public async Task A_drain_longer_than_two_seconds_is_not_cut_short_and_still_ends_within_the_budget()
    {
        const int budgetSeconds = 5;
        var server = await StartServerAsync(environment: new Dictionary<string, string>
        {
            ["PUSHSERVER_Shutdown__DrainSeconds"] = budgetSeconds.ToString(),
        });
        // A polling session whose client never polls again: its close cannot be delivered, so the drain waits for it.
        using var http = new HttpClient { BaseAddress = new Uri(server.SocketIOUrl) };
        Assert.StartsWith("0{", await http.GetStringAsync("socket.io/?EIO=4&transport=polling"));

        var clock = Stopwatch.StartNew();
        server.Terminate();
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(budgetSeconds + 10));
        clock.Stop();

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{server.Output}");
        // Load only makes the drain longer, so the lower bound holds on a busy machine; the end of the budget is
        // shown by the server's own line, not by a wall clock that a loaded machine stretches.
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(2.5), $"took only {clock.Elapsed}\n{server.Output}");
        Assert.Contains("Drain budget spent with 1 sessions still open", server.Output);
    }

    [Fact]
    public async Task Json_log_format_writes_one_json_event_a_line_with_push_status_and_recipients_but_no_body_or_token()
    {
        var server = await StartServerAsync(["--log-format", "json", "--push-token", "very-secret-token"]);
        await ConnectAsync(server, version: 4);
        using var push = Push(server);
        push.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "very-secret-token");

        using var response = await push.PostAsJsonAsync("api/emit", new { @event = "x", data = "body-that-must-not-be-logged" });
        response.EnsureSuccessStatusCode();
        await push.GetStringAsync("api/stats");

        var events = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var pushed = Assert.Single(events, e => e.TryGetProperty("Operation", out var op) && op.GetString() == "emit");
        Assert.Equal(200, pushed.GetProperty("Status").GetInt32());
        Assert.Equal(1, pushed.GetProperty("Recipients").GetInt32());
        Assert.True(pushed.GetProperty("Bytes").GetInt64() > 0);
        Assert.DoesNotContain("body-that-must-not-be-logged", server.Output);
        Assert.DoesNotContain("very-secret-token", server.Output);
    }
}
