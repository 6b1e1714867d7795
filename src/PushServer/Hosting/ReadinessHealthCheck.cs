using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PushServer.Hosting;

/// <summary>Ready until shutdown begins, so load balancers stop sending clients before they are closed.</summary>
internal sealed class ReadinessHealthCheck(DrainState drain) : IHealthCheck
{
    /// <summary>Tag of the checks <c>/health/ready</c> runs.</summary>
    public const string Tag = "ready";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("draining") : HealthCheckResult.Healthy());
}
