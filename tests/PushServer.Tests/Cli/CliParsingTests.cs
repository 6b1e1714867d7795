using PushServer.Cli;

namespace PushServer.Tests.Cli;

public sealed class CliParsingTests
{
    [Fact]
    public async Task Help_lists_every_verb()
    {
        var run = await CliRun.InvokeAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var verb in new[] { "start", "push", "status", "config", "healthcheck", "--version" })
        {
            Assert.Contains(verb, run.Output);
        }
    }

    [Fact]
    public async Task Start_help_lists_every_flag_and_explains_redis()
    {
        var run = await CliRun.InvokeAsync("start", "--help");

        foreach (var flag in new[] { "--port", "--push-port", "--bind", "--push-bind", "--config", "--push-token", "--redis",
                     "--log-level", "--log-format", "--cors-origin", "--allow-eio3" })
        {
            Assert.Contains(flag, run.Output);
        }
        Assert.Contains("@socket.io/redis-adapter", run.Output);
        Assert.Contains("2024", run.Output);
        Assert.Contains("9191", run.Output);
    }

    [Theory]
    [InlineData("push", "--event", "--data", "--room", "--namespace", "--token", "--url")]
    [InlineData("status", "--json", "--url", "--token")]
    [InlineData("config check", "--config", "--port")]
    [InlineData("config print", "--config", "--push-token")]
    [InlineData("healthcheck", "--url", "--live")]
    public async Task Each_verbs_help_lists_its_flags(string verb, params string[] flags)
    {
        var run = await CliRun.InvokeAsync([.. verb.Split(' '), "--help"]);
        Assert.Equal(0, run.ExitCode);
        foreach (var flag in flags)
        {
            Assert.Contains(flag, run.Output);
        }
    }

    [Theory]
    [InlineData("start", "--no-such-flag")]
    [InlineData("frobnicate")]
    [InlineData("start", "--log-format", "xml")]
    [InlineData("start", "--log-level", "loud")]
    [InlineData("start", "--port", "70000")]
    [InlineData("start", "--port", "abc")]
    [InlineData("start", "--redis", "not a url")]
    [InlineData("start", "--redis", "http://example.com")]
    [InlineData("push", "--ack-timeout-ms", "soon")]
    public async Task A_wrong_command_line_exits_with_the_usage_code_and_says_why_on_stderr(params string[] args)
    {
        var run = await CliRun.InvokeAsync(args);

        Assert.Equal((int)ExitCode.Usage, run.ExitCode);
        Assert.StartsWith("pushserver: ", run.ErrorLines[0]);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Every_start_flag_overrides_its_configuration_key()
    {
        var run = await CliRun.InvokeAsync("config", "print",
            "--port", "3000", "--bind", "127.0.0.2", "--push-port", "3001", "--push-bind", "127.0.0.1",
            "--push-token", "secret-push-token", "--redis", "redis://user:pw@cache:6379", "--log-level", "Debug", "--log-format", "json",
            "--cors-origin", "https://a.example.com", "--cors-origin", "https://b.example.com", "--allow-eio3", "false");

        Assert.Equal(0, run.ExitCode);
        var config = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(3000, config.GetProperty("Server").GetProperty("Port").GetInt32());
        Assert.Equal("127.0.0.2", config.GetProperty("Server").GetProperty("Bind").GetString());
        Assert.Equal(3001, config.GetProperty("PushApi").GetProperty("Port").GetInt32());
        Assert.Equal("127.0.0.1", config.GetProperty("PushApi").GetProperty("Bind").GetString());
        Assert.Equal("Debug", config.GetProperty("Logging").GetProperty("Level").GetString());
        Assert.Equal("json", config.GetProperty("Logging").GetProperty("Format").GetString());
        Assert.Equal(["https://a.example.com", "https://b.example.com"],
            config.GetProperty("EngineIO").GetProperty("Cors").GetProperty("Origins").EnumerateArray().Select(o => o.GetString()));
        Assert.False(config.GetProperty("EngineIO").GetProperty("AllowEIO3").GetBoolean());
        // Secrets are masked: the token entirely, the Redis URL's credentials.
        Assert.Equal("***", config.GetProperty("PushApi").GetProperty("Token").GetString());
        Assert.DoesNotContain("secret-push-token", run.Output);
        Assert.DoesNotContain("pw", config.GetProperty("Redis").GetProperty("Url").GetString());
        Assert.Contains("cache:6379", config.GetProperty("Redis").GetProperty("Url").GetString());
    }

    [Fact]
    public async Task A_redis_cluster_seed_list_is_accepted_and_printed_with_every_password_masked()
    {
        var run = await CliRun.InvokeAsync("config", "print",
            "--redis", "redis://:first-pw@cache-a:7000,redis://:second-pw@cache-b:7001");

        Assert.Equal(0, run.ExitCode);
        var url = JsonDocument.Parse(run.Output).RootElement.GetProperty("Redis").GetProperty("Url").GetString()!;
        Assert.DoesNotContain("first-pw", url);
        Assert.DoesNotContain("second-pw", url);
        Assert.Contains("cache-a:7000", url);
        Assert.Contains("cache-b:7001", url);
    }

    [Fact]
    public async Task A_redis_seed_list_with_one_entry_that_is_not_a_redis_url_is_refused()
    {
        var run = await CliRun.InvokeAsync("config", "check", "--redis", "redis://cache-a:7000,http://cache-b:7001");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--redis must be a redis:// or rediss:// URL", run.Error);
    }

    [Fact]
    public async Task A_bare_allow_eio3_flag_means_true()
    {
        using var file = TempConfig.Write("""{"EngineIO":{"AllowEIO3":false}}""");
        var run = await CliRun.InvokeAsync("config", "print", "--config", file.Path, "--allow-eio3");
        Assert.True(JsonDocument.Parse(run.Output).RootElement.GetProperty("EngineIO").GetProperty("AllowEIO3").GetBoolean());
    }

    [Theory]
    [InlineData("start", "--port", "abc")]
    [InlineData("start", "--push-port", "12x")]
    [InlineData("config", "check", "--port", "abc")]
    [InlineData("start", "--port", "70000")]
    public async Task A_port_that_is_not_a_port_number_is_named_with_its_value_and_the_range(params string[] args)
    {
        var run = await CliRun.InvokeAsync(args);

        Assert.Equal((int)ExitCode.Usage, run.ExitCode);
        var line = run.ErrorLines[0];
        Assert.Contains(args[^2], line);
        Assert.Contains($"(got \"{args[^1]}\")", line);
        Assert.Contains("a number from 1 to 65535", line);
        Assert.DoesNotContain("System.", run.Error);
    }

    [Theory]
    [InlineData("--ack-timeout-ms", "soon")]
    [InlineData("--timeout", "later")]
    public async Task A_number_flag_given_words_names_the_flag_and_the_value_without_dotnet_type_names(string flag, string value)
    {
        var run = await CliRun.InvokeAsync("push", flag, value);

        Assert.Equal((int)ExitCode.Usage, run.ExitCode);
        Assert.Contains(flag, run.ErrorLines[0]);
        Assert.Contains($"(got \"{value}\")", run.ErrorLines[0]);
        Assert.DoesNotContain("System.", run.Error);
    }

    [Theory]
    [InlineData("strat")]
    [InlineData("config", "chek")]
    public async Task A_mistyped_verb_says_only_that_the_verb_is_unknown_and_points_at_help(params string[] args)
    {
        var run = await CliRun.InvokeAsync(args);

        Assert.Equal((int)ExitCode.Usage, run.ExitCode);
        Assert.DoesNotContain("Required command", run.Error);
        Assert.Contains($"unknown command '{args[^1]}'", run.ErrorLines[0]);
        Assert.Contains(args.Length == 1 ? "start" : "check", run.ErrorLines[0]);
        Assert.Contains("--help", run.ErrorLines[^1]);
        Assert.Equal(2, run.ErrorLines.Length);
    }

    [Fact]
    public async Task Allow_eio3_with_a_value_other_than_true_or_false_says_the_value_must_be_true_or_false()
    {
        var run = await CliRun.InvokeAsync("start", "--allow-eio3", "maybe");

        Assert.Equal((int)ExitCode.Usage, run.ExitCode);
        Assert.Equal("pushserver: --allow-eio3 must be true or false (got \"maybe\").", run.ErrorLines[0]);
        Assert.DoesNotContain("Unrecognized", run.Error);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public async Task Allow_eio3_takes_true_or_false(string value, bool expected)
    {
        using var file = TempConfig.Write("""{"EngineIO":{"AllowEIO3":""" + (!expected ? "true" : "false") + "}}");
        var run = await CliRun.InvokeAsync("config", "print", "--config", file.Path, "--allow-eio3", value);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, JsonDocument.Parse(run.Output).RootElement.GetProperty("EngineIO").GetProperty("AllowEIO3").GetBoolean());
    }
}
