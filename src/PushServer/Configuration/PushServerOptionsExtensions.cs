using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Registers every settings section, bound from configuration and validated at start.</summary>
internal static class PushServerOptionsExtensions
{
    /// <summary>Binds each section, applies the command-line lists and registers the validators.</summary>
    public static IServiceCollection AddPushServerOptions(this IServiceCollection services, LoadedConfiguration loaded)
    {
        var configuration = loaded.Configuration;
        Add<ServerOptions, ServerOptionsValidator>(services, configuration, ServerOptions.Section);
        Add<PushApiOptions, PushApiOptionsValidator>(services, configuration, PushApiOptions.Section);
        Add<EngineIOSettings, EngineIOSettingsValidator>(services, configuration, EngineIOSettings.Section);
        Add<SocketIOSettings, SocketIOSettingsValidator>(services, configuration, SocketIOSettings.Section);
        Add<LoggingSettings, LoggingSettingsValidator>(services, configuration, LoggingSettings.Section);
        Add<ShutdownOptions, ShutdownOptionsValidator>(services, configuration, ShutdownOptions.Section);
        Add<RedisOptions, RedisOptionsValidator>(services, configuration, RedisOptions.Section);
        Add<RelaySettings, RelaySettingsValidator>(services, configuration, RelaySettings.Section);
        Add<RoomSettings, RoomSettingsValidator>(services, configuration, RoomSettings.Section);
        Add<AuthSettings, AuthSettingsValidator>(services, configuration, AuthSettings.Section);
        Add<WebMsgSenderSettings, WebMsgSenderSettingsValidator>(services, configuration, WebMsgSenderSettings.Section);
        Add<WebhookSettings, WebhookSettingsValidator>(services, configuration, WebhookSettings.Section);
        Add<AdminUiSettings, AdminUiSettingsValidator>(services, configuration, AdminUiSettings.Section);
        services.PostConfigure<EngineIOSettings>(s =>
        {
            if (s.Transports.Count == 0)
            {
                s.Transports = [.. EngineIOSettings.DefaultTransports];
            }
        });
        services.PostConfigure<RelaySettings>(s =>
        {
            foreach (var rule in s.Rules.Values)
            {
                rule.ResolveTarget();
            }
        });
        services.PostConfigure<SocketIOSettings>(s =>
        {
            if (!s.Namespaces.Contains("/"))
            {
                s.Namespaces.Insert(0, "/");
            }
        });
        if (loaded.Overrides.CorsOrigins is { } origins)
        {
            services.PostConfigure<EngineIOSettings>(s => s.Cors.Origins = [.. origins]);
        }
        return services;
    }

    private static void Add<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
