using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.Behaviours.Auth;
using PushServer.Behaviours.Webhooks;
using PushServer.Configuration;
using PushServer.SocketIO;

namespace PushServer.Behaviours;

/// <summary>Registers the server's behaviours and applies them to the Socket.IO server.</summary>
internal static class PushServerBehaviourExtensions
{
    /// <summary>
    /// Registers every behaviour, in the order they are applied. Connection handlers run in that order for each new
    /// socket: relay rules, then the join and leave events, then web-msg-sender's login, then the webhooks (whose
    /// connect report follows the others' handlers). JWT auth is a namespace middleware, so it runs before every
    /// connection handler wherever it stands. The admin UI comes last: it observes what the others installed.
    /// </summary>
    public static IServiceCollection AddPushServerBehaviours(this IServiceCollection services)
    {
        services.AddSingleton(sp => new WebhookClient(sp.GetRequiredService<IOptions<WebhookSettings>>().Value));
        services.AddSingleton(sp => new LifecycleWebhookQueue(
            sp.GetRequiredService<WebhookClient>(),
            sp.GetRequiredService<IOptions<WebhookSettings>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            // The log source name the queue had before it moved under Behaviours/, which Logging:Overrides may name.
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("PushServer.Webhooks.LifecycleWebhookQueue")));
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => sp.GetRequiredService<LifecycleWebhookQueue>());

        services.AddSingleton<IPushServerBehaviour, RelayBehaviour>();
        services.AddSingleton<IPushServerBehaviour, ClientRoomsBehaviour>();
        services.AddSingleton<IPushServerBehaviour, WebMsgSenderBehaviour>();
        services.AddSingleton<IPushServerBehaviour, WebhookBehaviour>();
        services.AddSingleton<IPushServerBehaviour, JwtAuthBehaviour>();
        services.AddSingleton<IPushServerBehaviour, AdminUi.AdminUiBehaviour>();
        return services;
    }

    /// <summary>Applies every registered behaviour to <paramref name="io"/>, in registration order.</summary>
    public static void ApplyPushServerBehaviours(this IServiceProvider services, SocketIOServer io)
    {
        foreach (var behaviour in services.GetServices<IPushServerBehaviour>())
        {
            behaviour.Apply(io);
        }
    }
}
