using System.Text.Json.Nodes;
using PushServer.Cli;

namespace PushServer.Tests.Cli;

public sealed class ConfigCommandTests
{
    [Theory]
    [InlineData("""{"Server":{"Port":70000}}""", "Server:Port must be between 0 and 65535")]
    [InlineData("""{"Server":{"Bind":"somewhere"}}""", "Server:Bind must be an IP address")]
    [InlineData("""{"Server":{"MaxConnections":-1}}""", "Server:MaxConnections must be zero or more")]
    [InlineData("""{"Server":{"MaxConnections":2000000000}}""", "Server:MaxConnections must be below the process's open-file limit")]
    [InlineData("""{"Server":{"RequestHeadersTimeout":0}}""", "Server:RequestHeadersTimeout must be positive")]
    [InlineData("""{"PushApi":{"Port":-1}}""", "PushApi:Port must be between 0 and 65535")]
    [InlineData("""{"PushApi":{"Bind":"10.0.0.1"}}""", "PushApi:Token must be set")]
    [InlineData("""{"PushApi":{"Bind":"10.0.0.1","Token":"fifteen-chars-x"}}""", "PushApi:Token must be at least 16 characters (got 15)")]
    [InlineData("""{"PushApi":{"Token":"short"}}""", "PushApi:Token must be at least 16 characters (got 5)")]
    [InlineData("""{"PushApi":{"MaxBodyBytes":0}}""", "PushApi:MaxBodyBytes must be positive")]
    [InlineData("""{"PushApi":{"MaxConnections":0}}""", "PushApi:MaxConnections must be positive")]
    [InlineData("""{"PushApi":{"UserRoomPattern":"user"}}""", "PushApi:UserRoomPattern must contain {uid}")]
    [InlineData("""{"Server":{"Port":5000},"PushApi":{"Port":5000}}""", "PushApi:Port must differ from Server:Port")]
    [InlineData("""{"EngineIO":{"PingInterval":0}}""", "EngineIO:PingInterval must be positive")]
    [InlineData("""{"EngineIO":{"PingTimeout":-1}}""", "EngineIO:PingTimeout must be positive")]
    [InlineData("""{"EngineIO":{"UpgradeTimeout":0}}""", "EngineIO:UpgradeTimeout must be positive")]
    [InlineData("""{"EngineIO":{"TimerCoalescing":-1}}""", "EngineIO:TimerCoalescing must be zero or more; 0 fires each deadline at its time")]
    [InlineData("""{"EngineIO":{"TimerCoalescing":1001}}""", "EngineIO:TimerCoalescing must be at most 1000 ms")]
    [InlineData("""{"EngineIO":{"MaxHttpBufferSize":0}}""", "EngineIO:MaxHttpBufferSize must be positive")]
    [InlineData("""{"EngineIO":{"MaxOutboundQueueBytes":0}}""", "EngineIO:MaxOutboundQueueBytes must be positive")]
    [InlineData("""{"EngineIO":{"WebSocketSendTimeout":-1}}""", "EngineIO:WebSocketSendTimeout must be zero or more; 0 waits forever")]
    [InlineData("""{"EngineIO":{"MaxSessions":0}}""", "EngineIO:MaxSessions must be positive")]
    [InlineData("""{"EngineIO":{"MaxWebSocketConnections":0}}""", "EngineIO:MaxWebSocketConnections must be positive")]
    [InlineData("""{"EngineIO":{"MaxHandshakesPerSecondPerIp":-5}}""", "EngineIO:MaxHandshakesPerSecondPerIp must be zero or more")]
    [InlineData("""{"EngineIO":{"MaxInboundPacketsPerSecond":-1}}""", "EngineIO:MaxInboundPacketsPerSecond must be zero or more")]
    [InlineData("""{"EngineIO":{"InboundPacketBurst":0}}""", "EngineIO:InboundPacketBurst must be positive")]
    [InlineData("""{"EngineIO":{"MaxPendingWebSocketBytes":1000}}""", "EngineIO:MaxPendingWebSocketBytes must be at least EngineIO:MaxHttpBufferSize")]
    [InlineData("""{"EngineIO":{"Transports":["carrier-pigeon"]}}""", "EngineIO:Transports has an unknown transport")]
    [InlineData("""{"EngineIO":{"Cors":{"Origins":["app.example.com"]}}}""", "EngineIO:Cors:Origins has \"app.example.com\"")]
    [InlineData("""{"EngineIO":{"TrustedProxies":["10.0.0.0/33"]}}""", "EngineIO:TrustedProxies has \"10.0.0.0/33\", which is neither an address")]
    [InlineData("""{"EngineIO":{"TrustedProxies":["proxy.internal"]}}""", "EngineIO:TrustedProxies has \"proxy.internal\"")]
    [InlineData("""{"EngineIO":{"Cors":{"Origins":["*"],"Credentials":true}}}""", "EngineIO:Cors:Credentials cannot be true")]
    [InlineData("""{"EngineIO":{"PingInterval":"soon"}}""", "'EngineIO:PingInterval'")]
    [InlineData("""{"EngineIO":{"AllowEIO3":"maybe"}}""", "'EngineIO:AllowEIO3'")]
    [InlineData("""{"EngineIO":{"PingIntervall":1000}}""", "EngineIO:PingIntervall is not a known key")]
    [InlineData("""{"Engine":{}}""", "Engine is not a known configuration section")]
    [InlineData("""{"SocketIO":{"ConnectTimeout":0}}""", "SocketIO:ConnectTimeout must be positive")]
    [InlineData("""{"SocketIO":{"MaxAttachments":-1}}""", "SocketIO:MaxAttachments must be zero or more")]
    [InlineData("""{"SocketIO":{"MaxJsonDepth":1}}""", "SocketIO:MaxJsonDepth must be at least 2")]
    [InlineData("""{"SocketIO":{"MaxNamespaceLength":0}}""", "SocketIO:MaxNamespaceLength must be positive")]
    [InlineData("""{"SocketIO":{"MaxEventNameLength":0}}""", "SocketIO:MaxEventNameLength must be positive")]
    [InlineData("""{"SocketIO":{"MaxRoomsPerSocket":0}}""", "SocketIO:MaxRoomsPerSocket must be at least 1")]
    [InlineData("""{"SocketIO":{"MaxNamespaceLength":4,"Namespaces":["/", "/chatroom"]}}""", "longer than SocketIO:MaxNamespaceLength")]
    [InlineData("""{"SocketIO":{"Namespaces":["chat"]}}""", "SocketIO:Namespaces has \"chat\"")]
    [InlineData("""{"Logging":{"Level":"Loud"}}""", "Logging:Level must be one of")]
    [InlineData("""{"Logging":{"Format":"xml"}}""", "Logging:Format must be text or json")]
    [InlineData("""{"Logging":{"MaxQueuedEvents":0}}""", "Logging:MaxQueuedEvents must be from 1 to 1000000")]
    [InlineData("""{"Logging":{"ClientEventLimit":-1}}""", "Logging:ClientEventLimit must be zero or more; 0 logs every client-caused line")]
    [InlineData("""{"Logging":{"ClientEventWindowSeconds":0}}""", "Logging:ClientEventWindowSeconds must be from 1 to 3600")]
    [InlineData("""{"Logging":{"Overrides":{"Microsoft":"Noisy"}}}""", "Logging:Overrides:Microsoft must be one of")]
    [InlineData("""{"Shutdown":{"DrainSeconds":0}}""", "Shutdown:DrainSeconds must be positive")]
    [InlineData("""{"Redis":{"Url":"http://cache"}}""", "Redis:Url must be a redis://")]
    [InlineData("""{"Redis":{"RequestsTimeout":0}}""", "Redis:RequestsTimeout must be positive")]
    [InlineData("""{"Redis":{"Adapter":"cluster"}}""", "Redis:Adapter must be \"pubsub\", \"streams\" or \"sharded\" (got \"cluster\")")]
    [InlineData("""{"Redis":{"ShardedSubscriptionMode":"Dynamic"}}""", "Redis:ShardedSubscriptionMode must be \"static\", \"dynamic\" or \"dynamic-private\" (got \"Dynamic\")")]
    [InlineData("""{"Relay":{"Rules":{"chat message":{"To":"everyone"}}}}""", "Relay:Rules:chat message:To must be one of")]
    [InlineData("""{"WebMsgSender":{"OnlineCount":true}}""", "WebMsgSender:OnlineCount counts logged-in uids: it needs WebMsgSender:Login")]
    [InlineData("""{"Webhooks":{"Events":["order"]}}""", "Webhooks:Url must be set")]
    [InlineData("""{"Webhooks":{"Url":"ftp://backend"}}""", "Webhooks:Url must be an absolute http")]
    [InlineData("""{"Auth":{"Secret":"short"}}""", "Auth:Secret must be at least 32 bytes")]
    [InlineData("""{"Auth":{"Required":true}}""", "Auth:Required needs a key")]
    [InlineData("""{"Auth":{"Algorithm":"none"}}""", "Auth:Algorithm must be HS256, RS256 or ES256")]
    [InlineData("""{"Rooms":{"LeaveEvent":"join"}}""", "Rooms:LeaveEvent must be set and differ from Rooms:JoinEvent")]
    [InlineData("""{"Rooms":{"Namespace":"/private"}}""", "Rooms:Namespace '/private' is not served")]
    [InlineData("""{"Relay":{"Rules":{"ping":{"Too":"all"}}}}""", "Relay:Rules:ping:Too is not a known key")]
    [InlineData("""{"Relay":{"Rules":{"ping":{"Namespace":"/nowhere"}}}}""", "Relay:Rules:ping:Namespace '/nowhere' is not served")]
    [InlineData("""{"Relay":{"Rules":{"ping":{"EmitAs":"disconnect"}}}}""", "Relay:Rules:ping:EmitAs must not be a reserved event name")]
    [InlineData("""{"Relay":{"Rules":{"hello":{"To":"none","Reply":"got it"}}}}""", "Relay:Rules:hello:Reply needs a rule that is on")]
    [InlineData("""{"Relay":{"Rules":{"hello":{"Reply":"got it","ReplyJson":"1"}}}}""", "Relay:Rules:hello: set Reply or ReplyJson, not both")]
    [InlineData("""{"Relay":{"Rules":{"hello":{"ReplyJson":"{ok: true}"}}}}""", "Relay:Rules:hello:ReplyJson is not valid JSON")]
    [InlineData("""{"Relay":{"Rules":{"hello":{"Reply":{"ok":true}}}}}""", "Relay:Rules:hello:Reply takes one value")]
    public async Task Config_check_names_the_key_of_each_bad_value(string json, string expected)
    {
        using var file = TempConfig.Write(json);

        var run = await CliRun.InvokeAsync("config", "check", "--config", file.Path);

        Assert.Equal((int)ExitCode.ConfigInvalid, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("pushserver: configuration error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task Config_check_reports_every_problem_not_only_the_first()
    {
        using var file = TempConfig.Write("""{"EngineIO":{"PingInterval":0,"PingTimeout":0},"Shutdown":{"DrainSeconds":-1}}""");
        var run = await CliRun.InvokeAsync("config", "check", "--config", file.Path);
        Assert.Equal(3, run.ErrorLines.Length);
    }

    [Fact]
    public async Task Config_check_passes_a_good_file_and_names_it()
    {
        using var file = TempConfig.Write("""{"Server":{"Port":2500}}""");
        var run = await CliRun.InvokeAsync("config", "check", "--config", file.Path);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(file.Path, run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task A_flag_can_fix_what_the_file_gets_wrong()
    {
        using var file = TempConfig.Write("""{"PushApi":{"Bind":"0.0.0.0"}}""");
        var run = await CliRun.InvokeAsync("config", "check", "--config", file.Path, "--push-token", "sixteen-chars-xx");
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task A_one_character_push_token_on_a_public_address_fails_the_check()
    {
        var run = await CliRun.InvokeAsync("config", "check", "--push-bind", "0.0.0.0", "--push-token", "a");
        Assert.Equal((int)ExitCode.ConfigInvalid, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("PushApi:Token must be at least 16 characters (got 1)", line);
        Assert.Contains("--push-token", line);
    }

    [Fact]
    public async Task A_missing_config_file_is_one_clear_line()
    {
        var run = await CliRun.InvokeAsync("config", "check", "--config", "/nonexistent/pushserver.json");
        Assert.Equal((int)ExitCode.ConfigInvalid, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("does not exist", line);
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_is_one_clear_line()
    {
        using var file = TempConfig.Write("{ \"Server\": { \"Port\": 2024, } oops");
        var run = await CliRun.InvokeAsync("config", "check", "--config", file.Path);
        Assert.Equal((int)ExitCode.ConfigInvalid, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("not valid JSON", line);
    }

    [Fact]
    public async Task The_shipped_config_file_holds_every_key_with_its_default()
    {
        var shipped = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "config", "pushserver.json")));
        using var empty = TempConfig.Write("{}");

        var run = await CliRun.InvokeAsync("config", "print", "--config", empty.Path);

        Assert.Equal(0, run.ExitCode);
        var defaults = JsonNode.Parse(run.Output);
        Assert.True(JsonNode.DeepEquals(shipped, defaults), $"config/pushserver.json differs from the defaults:\n{run.Output}");
    }
}
