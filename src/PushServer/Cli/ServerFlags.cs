using System.CommandLine;
using PushServer.Configuration;

namespace PushServer.Cli;

/// <summary>
/// The flags that override configuration, shared by <c>start</c>, <c>config check</c> and <c>config print</c>. None has a
/// default of its own: an absent flag leaves the configured value in place.
/// </summary>
internal sealed class ServerFlags
{
    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = "Configuration file (default: config/pushserver.json in the working directory or beside the executable)",
        HelpName = "FILE",
    };

    public Option<int?> Port { get; } = OptionValues.Port("--port", "Socket.IO port (default: 2024) [Server:Port]");

    public Option<string?> Bind { get; } = new("--bind") { Description = "Socket.IO address (default: 0.0.0.0) [Server:Bind]", HelpName = "ADDRESS" };

    public Option<int?> PushPort { get; } = OptionValues.Port("--push-port", "Push API port (default: 9191) [PushApi:Port]");

    public Option<string?> PushBind { get; } = new("--push-bind")
    {
        Description = "Push API address (default: 127.0.0.1; any other needs --push-token) [PushApi:Bind]",
        HelpName = "ADDRESS",
    };

    public Option<string?> PushToken { get; } = new("--push-token")
    {
        Description = "Bearer token required on the push API [PushApi:Token]",
        HelpName = "TOKEN",
    };

    public Option<string?> Redis { get; } = new("--redis")
    {
        Description = "Redis URL (redis://[:password@]host:port[/db]), or comma-separated seed URLs of a Redis Cluster: nodes share rooms and broadcasts, compatible with Node's @socket.io/redis-adapter [Redis:Url]",
        HelpName = "URL",
    };

    public Option<string?> LogLevel { get; } = new("--log-level")
    {
        Description = "Minimum log level (default: Information) [Logging:Level]",
        HelpName = "LEVEL",
    };

    public Option<string?> LogFormat { get; } = new("--log-format")
    {
        Description = "Log format: text or json (default: text) [Logging:Format]",
        HelpName = "FORMAT",
    };

    public Option<string[]> CorsOrigin { get; } = new("--cors-origin")
    {
        Description = "Allowed cross-origin client origin, or *; repeat for several; replaces the configured list and the default (pages from the server's own host name) [EngineIO:Cors:Origins]",
        HelpName = "ORIGIN",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> AllowEIO3 { get; } = OptionValues.Boolean(
        "--allow-eio3", "Accept socket.io 1.x/2.x clients (Engine.IO v3): true or false (default: true) [EngineIO:AllowEIO3]");

    public Option<string?> TlsCert { get; } = new("--tls-cert")
    {
        Description = "Serve wss:// and https:// on the Socket.IO port with this PEM certificate (chain after it); reloaded when it changes [Server:Tls:CertificateFile]",
        HelpName = "FILE",
    };

    public Option<string?> TlsKey { get; } = new("--tls-key")
    {
        Description = "The PEM private key of --tls-cert [Server:Tls:KeyFile]",
        HelpName = "FILE",
    };

    public ServerFlags()
    {
        LogLevel.AcceptOnlyFromAmong(LoggingSettingsValidator.Levels);
        LogFormat.AcceptOnlyFromAmong("text", "json");
        Redis.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !RedisSettingsValidator.IsRedisUrl(value))
            {
                result.AddError($"--redis must be a redis:// or rediss:// URL with a host, or a comma-separated list of them (got \"{value}\").");
            }
        });
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Config, Port, Bind, PushPort, PushBind, PushToken, Redis, LogLevel, LogFormat, CorsOrigin, AllowEIO3, TlsCert, TlsKey })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The flags given, as configuration overrides.</summary>
    public ConfigurationOverrides ToOverrides(ParseResult parse)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Set(string key, object? value)
        {
            if (value is not null)
            {
                values[key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        Set("Server:Port", parse.GetValue(Port));
        Set("Server:Bind", parse.GetValue(Bind));
        Set("PushApi:Port", parse.GetValue(PushPort));
        Set("PushApi:Bind", parse.GetValue(PushBind));
        Set("PushApi:Token", parse.GetValue(PushToken));
        Set("Redis:Url", parse.GetValue(Redis));
        Set("Logging:Level", parse.GetValue(LogLevel));
        Set("Logging:Format", parse.GetValue(LogFormat));
        Set("Server:Tls:CertificateFile", parse.GetValue(TlsCert));
        Set("Server:Tls:KeyFile", parse.GetValue(TlsKey));
        if (OptionValues.GetBoolean(parse, AllowEIO3) is { } allowEIO3)
        {
            Set("EngineIO:AllowEIO3", allowEIO3 ? "true" : "false");
        }
        var origins = parse.GetValue(CorsOrigin);
        return new ConfigurationOverrides
        {
            Values = values,
            CorsOrigins = origins is { Length: > 0 } ? origins : null,
        };
    }

    /// <summary>Loads the configuration these flags point at and override.</summary>
    public LoadedConfiguration Load(ParseResult parse) =>
        PushServerConfiguration.Load(parse.GetValue(Config), ToOverrides(parse));
}
