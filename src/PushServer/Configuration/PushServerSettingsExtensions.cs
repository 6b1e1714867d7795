using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Registers every settings section, bound from configuration and validated at start.</summary>
/// <remarks>
/// Naming in this folder: a class bound from a section of the configuration is a <c>…Settings</c>
/// (<see cref="ServerSettings"/> for <c>Server</c>, <see cref="EngineIOSettings"/> for <c>EngineIO</c>), and its
/// checker a <c>…SettingsValidator</c>. <c>…Options</c> is left to the libraries' own types (<c>EngineIOOptions</c>,
/// <c>SocketIOOptions</c>, the Redis adapters' options), which settings are copied onto (<c>ApplyTo</c>), so a settings
/// class and the options it feeds never share a name. What users write is the section name (each class's
/// <c>Section</c> constant) and the property names, never the class name, so renaming a class changes no key.
/// </remarks>
internal static class PushServerSettingsExtensions
{
    /// <summary>Binds each section, applies the command-line lists and registers the validators.</summary>
    public static IServiceCollection AddPushServerSettings(this IServiceCollection services, LoadedConfiguration loaded)
    {
        var configuration = loaded.Configuration;
        Add<ServerSettings, ServerSettingsValidator>(services, configuration, ServerSettings.Section);
        Add<PushApiSettings, PushApiSettingsValidator>(services, configuration, PushApiSettings.Section);
        Add<EngineIOSettings, EngineIOSettingsValidator>(services, configuration, EngineIOSettings.Section);
        Add<SocketIOSettings, SocketIOSettingsValidator>(services, configuration, SocketIOSettings.Section);
        Add<LoggingSettings, LoggingSettingsValidator>(services, configuration, LoggingSettings.Section);
        Add<ShutdownSettings, ShutdownSettingsValidator>(services, configuration, ShutdownSettings.Section);
        Add<RedisSettings, RedisSettingsValidator>(services, configuration, RedisSettings.Section);
        Add<ClusterSettings, ClusterSettingsValidator>(services, configuration, ClusterSettings.Section);
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
