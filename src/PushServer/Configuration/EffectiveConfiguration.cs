using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>The configuration a server would run with, as JSON shaped like the configuration file, secrets masked.</summary>
internal static class EffectiveConfiguration
{
    /// <summary>What replaces a secret that is set.</summary>
    public const string Mask = "***";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Renders <paramref name="loaded"/> after binding; call <see cref="ConfigurationCheck.Run"/> first.</summary>
    public static string Render(LoadedConfiguration loaded)
    {
        var services = new ServiceCollection().AddPushServerSettings(loaded).BuildServiceProvider();
        var pushApi = Get<PushApiSettings>(services);
        var redis = Get<RedisSettings>(services);
        var root = new JsonObject
        {
            [ServerSettings.Section] = Node(Get<ServerSettings>(services)),
            [PushApiSettings.Section] = Node(pushApi),
            [EngineIOSettings.Section] = Node(Get<EngineIOSettings>(services)),
            [SocketIOSettings.Section] = Node(Get<SocketIOSettings>(services)),
            [LoggingSettings.Section] = Node(Get<LoggingSettings>(services)),
            [ShutdownSettings.Section] = Node(Get<ShutdownSettings>(services)),
            [RedisSettings.Section] = Node(redis),
            [ClusterSettings.Section] = Node(Get<ClusterSettings>(services)),
            [RelaySettings.Section] = Node(Get<RelaySettings>(services)),
            [RoomSettings.Section] = Node(Get<RoomSettings>(services)),
            [AuthSettings.Section] = Node(Get<AuthSettings>(services)),
            [WebMsgSenderSettings.Section] = Node(Get<WebMsgSenderSettings>(services)),
            [WebhookSettings.Section] = Node(Get<WebhookSettings>(services)),
            [AdminUiSettings.Section] = Node(Get<AdminUiSettings>(services)),
        };
        if (root[WebhookSettings.Section]!["Secret"]!.GetValue<string>().Length > 0)
        {
            root[WebhookSettings.Section]!["Secret"] = Mask;
        }
        if (root[AuthSettings.Section]!["Secret"]!.GetValue<string>().Length > 0)
        {
            root[AuthSettings.Section]!["Secret"] = Mask;
        }
        // A bcrypt hash can be attacked offline: printed no more than the secrets.
        if (root[AdminUiSettings.Section]!["PasswordHash"]!.GetValue<string>().Length > 0)
        {
            root[AdminUiSettings.Section]!["PasswordHash"] = Mask;
        }
        if (pushApi.Token.Length > 0)
        {
            root[PushApiSettings.Section]!["Token"] = Mask;
        }
        root[RedisSettings.Section]!["Url"] = MaskUrl(redis.Url);
        return root.ToJsonString(Json);
    }

    /// <summary>Hides the password (user info) of a URL.</summary>
    public static string MaskUrl(string url)
    {
        if (url.Contains(','))
        {
            // The seed list of a Redis Cluster: mask each URL.
            return string.Join(",", url.Split(',', StringSplitOptions.TrimEntries).Select(MaskUrl));
        }
        if (url.Length == 0 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0)
        {
            return url;
        }
        return new UriBuilder(uri) { UserName = Mask, Password = "" }.Uri.ToString();
    }

    private static T Get<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;

    private static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value, Json)!;
}
