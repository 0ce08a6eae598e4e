using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiSidecar.ExtProc.Health;

/// <summary>Ready once warmed up; unhealthy while warming up and from the start of shutdown, so Envoy and Kubernetes stop sending work.</summary>
internal sealed class ReadinessHealthCheck(ReadinessState state) : IHealthCheck
{
    public const string Name = "readiness";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsReady ? HealthCheckResult.Healthy("warmed up")
            : HealthCheckResult.Unhealthy(state.IsDraining ? "draining" : "warming up"));
}
