using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiSidecar.ExtProc.Health;

/// <summary>
/// Degraded (still ready) while a tokenizer has failed to load: its models are counted with the fallback, or refused
/// with 503 under <c>tokenization.refuseOnLoadFailure</c>. The detail lists every tokenizer's state.
/// </summary>
internal sealed class TokenizersHealthCheck(TokenizerCache tokenizers) : IHealthCheck
{
    public const string Name = "tokenizers";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failed = tokenizers.Describe().Where(t => t.State == "failed").Select(t => t.Tokenizer).ToList();
        return Task.FromResult(failed.Count == 0 ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"failed to load, the fallback counts their models: {string.Join(", ", failed)}"));
    }
}
