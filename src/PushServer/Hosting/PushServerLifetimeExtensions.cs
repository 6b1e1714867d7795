using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PushServer.Configuration;

namespace PushServer.Hosting;

/// <summary>Start-up step: how the server starts, reports readiness to systemd, drains and stops.</summary>
internal static class PushServerLifetimeExtensions
{
    /// <summary>
    /// Registers <see cref="GracefulShutdown"/> as the host's lifetime (the one owner of SIGTERM/SIGINT when
    /// <paramref name="handleSignals"/>), the drain state the listeners and middlewares read, and systemd's readiness
    /// notice. The host waits for the drain up to <c>Shutdown:DrainBudget</c>.
    /// </summary>
    public static IServiceCollection AddPushServerLifetime(this IServiceCollection services, LoadedConfiguration loaded, bool handleSignals)
    {
        var shutdown = loaded.Section<ShutdownSettings>(ShutdownSettings.Section);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown.DrainBudget);
        services.AddSingleton<DrainState>();
        services.AddSingleton(new SignalHandling(handleSignals));
        services.AddSingleton<GracefulShutdown>();
        services.AddSingleton<IHostLifetime>(sp => sp.GetRequiredService<GracefulShutdown>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<GracefulShutdown>());
        services.AddSingleton<IHostedService, SystemdReadiness>();
        return services;
    }
}
