using PushServer.Cli;

namespace PushServer.Tests.Cli;

public sealed class ClientVerbTests : ResourceTests
{
    private const string Token = "verb-push-token-0123";
    private InProcessServer _server = null!;

    public override async Task InitializeAsync() =>
        _server = await StartInProcessAsync(new() { ["PushApi:Token"] = Token });

    private string Url => _server.PushUri.ToString();

    [Fact]
    public async Task Push_sends_the_event_with_each_data_value_parsed_as_json_or_text_to_the_room()
    {
        await using var member = await RawSocketIOClient.ConnectAsync(_server.SocketIOUri);
        await using var other = await RawSocketIOClient.ConnectAsync(_server.SocketIOUri);
        using var http = _server.PushClient(Token);
        using var join = await http.PostAsJsonAsync("api/sockets/join", new { socketId = member.Id, targetRooms = new[] { "r" } });
        join.EnsureSuccessStatusCode();

        var run = await CliRun.InvokeAsync("push", "--url", Url, "--token", Token, "--event", "news", "--data", """{"a":1}""",
            "--data", "plain text", "--data", "42", "--room", "r");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("to 1 socket", run.Output);
        Assert.Equal("""["news",{"a":1},"plain text",42]""", (await member.NextEventAsync()).GetRawText());
        Assert.Equal("ok", await http.GetStringAsync("?msg=marker"));
        Assert.Equal("""["chat message","marker"]""", (await other.NextEventAsync()).GetRawText());
    }

    [Fact]
    public async Task Push_with_an_ack_timeout_prints_the_acks()
    {
        await using var client = await RawSocketIOClient.ConnectAsync(_server.SocketIOUri);
        client.AckValue = "roger";

        var run = await CliRun.InvokeAsync("push", "--url", Url, "--token", Token, "--ack-timeout-ms", "5000", "--json");

        Assert.Equal(0, run.ExitCode);
        var answer = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal("""["roger"]""", answer.GetProperty("acks").GetRawText());
    }

    [Fact]
    public async Task Push_without_the_token_exits_refused_with_the_servers_error()
    {
        var run = await CliRun.InvokeAsync("push", "--url", Url, "--token", "", "--data", "x");

        Assert.Equal((int)ExitCode.Refused, run.ExitCode);
        Assert.Contains("401", run.Error);
        Assert.Contains("unauthorized", run.Error);
    }

    [Fact]
    public async Task Push_of_a_reserved_event_exits_refused()
    {
        var run = await CliRun.InvokeAsync("push", "--url", Url, "--token", Token, "--event", "disconnect");
        Assert.Equal((int)ExitCode.Refused, run.ExitCode);
        Assert.Contains("reserved_event", run.Error);
    }

    [Fact]
    public async Task Status_pointed_at_the_socket_io_port_says_it_is_probably_not_the_push_port_and_names_the_option()
    {
        var run = await CliRun.InvokeAsync("status", "--url", _server.SocketIOUri.ToString(), "--token", Token);

        Assert.Equal((int)ExitCode.Refused, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("404", line);
        Assert.Contains("not the push API", line);
        Assert.Contains("--url", line);
        Assert.Contains("PushApi:Port", line);
        Assert.DoesNotMatch(@":\s*$", line);
    }

    [Fact]
    public async Task Status_prints_a_table_and_json_for_scripts()
    {
        await using var client = await RawSocketIOClient.ConnectAsync(_server.SocketIOUri);

        var table = await CliRun.InvokeAsync("status", "--url", Url, "--token", Token);
        var json = await CliRun.InvokeAsync("status", "--url", Url, "--token", Token, "--json");

        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"Connections\s+1", table.Output);
        Assert.Matches(@"by transport\s+websocket 1", table.Output);
        Assert.Matches(@"\n/\s+1\s+0", table.Output);
        Assert.Equal(1, JsonDocument.Parse(json.Output).RootElement.GetProperty("connections").GetInt32());
    }

    [Fact]
    public async Task Status_against_a_stopped_server_exits_unreachable()
    {
        var url = Url;
        await _server.StopAsync();
        var run = await CliRun.InvokeAsync("status", "--url", url, "--token", Token, "--timeout", "5");
        Assert.Equal((int)ExitCode.Unreachable, run.ExitCode);
        Assert.Contains("cannot reach", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Healthcheck_exits_0_for_a_ready_server()
    {
        var run = await CliRun.InvokeAsync("healthcheck", "--url", Url);
        Assert.Equal(0, run.ExitCode);
        var live = await CliRun.InvokeAsync("healthcheck", "--url", Url, "--live");
        Assert.Equal(0, live.ExitCode);
    }
}
