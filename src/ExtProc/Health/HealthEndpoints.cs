using AiSidecar.ExtProc.Health;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the HTTP probes.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps <c>/healthz</c> (liveness: the process answers) and <c>/readyz</c> (readiness, with detail).</summary>
    public static IEndpointConventionBuilder[] MapHealthProbes(this IEndpointRouteBuilder endpoints) =>
    [
        endpoints.MapGet("/healthz", () => Results.Json(new { status = "ok" })),
        endpoints.MapGet("/readyz", (ReadinessState state, AiSidecar.ExtProc.Tokenization.ITokenizerRegistry tokenizers) => Results.Json(
            new { status = state.IsReady ? "ready" : "not_ready", draining = state.IsDraining, tokenizer = state.Tokenizer, tokenizers = tokenizers.Describe() },
            statusCode: state.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable)),
    ];
}
