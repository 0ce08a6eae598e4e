using System.Text.Json;
using AiSidecar.ExtProc.Health;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the HTTP probes onto the health checks.</summary>
internal static class HealthEndpoints
{
    /// <summary>
    /// Maps <c>/healthz</c> (liveness: the process answers; no check runs) and <c>/readyz</c> (the checks tagged
    /// <c>ready</c>, with the readiness detail: draining, the warmed-up tokenizer, every tokenizer's state).
    /// </summary>
    public static IEndpointConventionBuilder[] MapHealthProbes(this IEndpointRouteBuilder endpoints) =>
    [
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) => context.Response.WriteAsJsonAsync(new { status = "ok" }),
        }),
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthServiceCollectionExtensions.ReadyTag),
            ResponseWriter = WriteReadiness,
        }),
    ];

    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        var state = context.RequestServices.GetRequiredService<ReadinessState>();
        var tokenizers = context.RequestServices.GetRequiredService<TokenizerCache>();
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status == HealthStatus.Unhealthy ? "not_ready" : "ready",
            draining = state.IsDraining,
            tokenizer = state.Tokenizer,
            tokenizers = tokenizers.Describe(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
