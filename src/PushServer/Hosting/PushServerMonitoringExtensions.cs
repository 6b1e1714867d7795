using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using PushServer.EngineIO;
using PushServer.Logging;
using PushServer.Metrics;
using PushServer.PushApi;
using PushServer.SocketIO;

namespace PushServer.Hosting;

/// <summary>Start-up step: metrics, the stats the push API and the CLI report, and the health checks.</summary>
internal static class PushServerMonitoringExtensions
{
    /// <summary>Registers the metrics, the stats collector and the readiness check.</summary>
    public static IServiceCollection AddPushServerMonitoring(this IServiceCollection services)
    {
        services.AddSingleton<PushServerMetrics>();
        services.AddSingleton<StatsCollector>();
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready", tags: [ReadinessHealthCheck.Tag]);
        return services;
    }

    /// <summary>
    /// Points the metrics at the running servers and maps <c>/health/live</c>, <c>/health/ready</c> and
    /// <c>/metrics</c> on the push listener.
    /// </summary>
    public static WebApplication MapPushServerMonitoring(this WebApplication app)
    {
        var services = app.Services;
        var metrics = services.GetRequiredService<PushServerMetrics>();
        metrics.Observe(
            services.GetRequiredService<EngineServer>(),
            services.GetRequiredService<SocketIOServer>(),
            services.GetRequiredService<DrainState>(),
            services.GetRequiredService<ListenerEndpoints>(),
            services.GetRequiredService<LogPipelineStats>());

        var pushRole = new ListenerRoleMetadata(ListenerRole.Push);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(pushRole);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadinessHealthCheck.Tag) })
            .WithMetadata(pushRole);
        app.MapMetrics("/metrics", metrics.Registry).WithMetadata(pushRole);
        return app;
    }
}
