using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>
/// Everything wrong with a configuration, one message per problem, each naming its key: unknown keys (typos),
/// values of the wrong type, and values the validators refuse. <c>config check</c> prints them; <c>start</c> stops on them.
/// </summary>
internal static class ConfigurationCheck
{
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [ServerSettings.Section] = typeof(ServerSettings),
        [PushApiSettings.Section] = typeof(PushApiSettings),
        [EngineIOSettings.Section] = typeof(EngineIOSettings),
        [SocketIOSettings.Section] = typeof(SocketIOSettings),
        [LoggingSettings.Section] = typeof(LoggingSettings),
        [ShutdownSettings.Section] = typeof(ShutdownSettings),
        [RedisSettings.Section] = typeof(RedisSettings),
        [ClusterSettings.Section] = typeof(ClusterSettings),
        [RelaySettings.Section] = typeof(RelaySettings),
        [RoomSettings.Section] = typeof(RoomSettings),
        [AuthSettings.Section] = typeof(AuthSettings),
        [WebMsgSenderSettings.Section] = typeof(WebMsgSenderSettings),
        [WebhookSettings.Section] = typeof(WebhookSettings),
        [AdminUiSettings.Section] = typeof(AdminUiSettings),
    };

    /// <summary>The problems of <paramref name="loaded"/>; empty when it is good to start with.</summary>
    public static IReadOnlyList<string> Run(LoadedConfiguration loaded)
    {
        var errors = new List<string>();
        foreach (var section in loaded.Configuration.GetChildren())
        {
            if (Sections.TryGetValue(section.Key, out var type))
            {
                FindUnknownKeys(section, type, errors);
            }
            else
            {
                errors.Add($"{section.Key} is not a known configuration section (known: {string.Join(", ", Sections.Keys)}).");
            }
        }

        var services = new ServiceCollection().AddPushServerSettings(loaded).BuildServiceProvider();
        Resolve<ServerSettings>(services, errors);
        Resolve<PushApiSettings>(services, errors);
        Resolve<EngineIOSettings>(services, errors);
        Resolve<SocketIOSettings>(services, errors);
        Resolve<LoggingSettings>(services, errors);
        Resolve<ShutdownSettings>(services, errors);
        Resolve<RedisSettings>(services, errors);
        Resolve<RelaySettings>(services, errors);
        Resolve<RoomSettings>(services, errors);
        Resolve<AuthSettings>(services, errors);
        Resolve<WebMsgSenderSettings>(services, errors);
        Resolve<WebhookSettings>(services, errors);
        Resolve<AdminUiSettings>(services, errors);
        return errors.Distinct().ToList();
    }

    private static void Resolve<T>(IServiceProvider services, List<string> errors)
        where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            errors.AddRange(ex.Failures);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's own words name the key: "Failed to convert configuration value 'x' at 'EngineIO:PingInterval' to type 'System.Int32'."
            errors.Add(ex.Message.TrimEnd('.') + ".");
        }
    }

    private static void FindUnknownKeys(IConfigurationSection section, Type type, List<string> errors)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)
            && type.GetGenericArguments()[1] is { IsClass: true } valueType && valueType != typeof(string))
        {
            // Keyed entries such as relay rules: any key is fine, each entry's fields are checked.
            foreach (var entry in section.GetChildren())
            {
                FindUnknownKeys(entry, valueType, errors);
            }
            return;
        }
        if (type == typeof(string) || Nullable.GetUnderlyingType(type) is not null || type.IsPrimitive || type.IsEnum || type == typeof(decimal))
        {
            // The binder leaves such a key unset when the file gives it an object or a list: say so, not nothing.
            if (section.GetChildren().Any())
            {
                errors.Add($"{section.Path} takes one value, not an object or a list.");
            }
            return;
        }
        if (typeof(IDictionary).IsAssignableFrom(type) || typeof(IEnumerable).IsAssignableFrom(type))
        {
            return;
        }
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                errors.Add($"{child.Path} is not a known key (known in {section.Path}: {string.Join(", ", properties.Keys)}).");
                continue;
            }
            FindUnknownKeys(child, property.PropertyType, errors);
        }
    }
}
