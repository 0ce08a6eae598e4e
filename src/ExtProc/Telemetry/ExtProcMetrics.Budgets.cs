using System.Diagnostics.Metrics;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>The token budgets' and their Redis's instruments (docs/cache-and-budgets.md, "Metrics").</summary>
internal sealed partial class ExtProcMetrics
{
    /// <summary>A reservation of <paramref name="tokens"/> was admitted.</summary>
    public void BudgetReserved(string model, long tokens)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        _budgets.Reservations.Add(1, modelTag);
        _budgets.ReservedTokens.Add(tokens, modelTag);
    }

    /// <summary>A reservation was reconciled with the response's usage: <paramref name="used"/> tokens charged, <paramref name="refunded"/> given back.</summary>
    public void BudgetCommitted(string model, long used, long refunded)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        _budgets.Commits.Add(1, modelTag);
        _budgets.CommittedTokens.Add(used, modelTag);
        _budgets.RefundedTokens.Add(refunded, modelTag);
    }

    /// <summary>A reservation was released whole: the exchange ended without usage.</summary>
    public void BudgetReleased(string model, long tokens)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        _budgets.Releases.Add(1, modelTag);
        _budgets.RefundedTokens.Add(tokens, modelTag);
    }

    /// <summary>A request was refused: tokens_per_minute, tokens_per_day, requests_per_minute, or redis_unavailable (fail-closed).</summary>
    public void BudgetRejected(string model, string reason) =>
        _budgets.Rejections.Add(1, new KeyValuePair<string, object?>("model", model), new("reason", reason));

    /// <summary>Redis did not answer and the request went on unbudgeted (<c>budgets.onRedisFailure: open</c>).</summary>
    public void BudgetFailedOpen(string model) =>
        _budgets.FailedOpen.Add(1, new KeyValuePair<string, object?>("model", model));

    /// <summary>
    /// Every series of the Redis errors at 0, so a rate of them (and the RedisErrors alert) reads 0, not nothing,
    /// before the first failure.
    /// </summary>
    public void RedisErrorsStartAtZero(IReadOnlyList<string> operations, IReadOnlyList<string> errors)
    {
        foreach (var operation in operations)
        {
            foreach (var error in errors)
            {
                _budgets.RedisErrors.Add(0, new KeyValuePair<string, object?>("operation", operation), new("error", error));
            }
        }
    }

    /// <summary>A Redis call failed: not_connected, timeout, connection or error.</summary>
    public void RedisError(string operation, string error) =>
        _budgets.RedisErrors.Add(1, new KeyValuePair<string, object?>("operation", operation), new("error", error));

    private sealed class BudgetInstruments(Meter meter)
    {
        public Counter<long> Reservations { get; } = meter.CreateCounter<long>("extproc.budget.reservations", "{reservation}",
            "Budget reservations admitted, by model.");

        public Counter<long> ReservedTokens { get; } = meter.CreateCounter<long>("extproc.budget.reserved.tokens", "{token}",
            "Tokens reserved at admission (prompt plus max_tokens), by model.");

        public Counter<long> Commits { get; } = meter.CreateCounter<long>("extproc.budget.commits", "{reservation}",
            "Reservations reconciled with the usage the response reported, by model.");

        public Counter<long> CommittedTokens { get; } = meter.CreateCounter<long>("extproc.budget.committed.tokens", "{token}",
            "Tokens charged after the response: the usage it reported, by model.");

        public Counter<long> Releases { get; } = meter.CreateCounter<long>("extproc.budget.releases", "{reservation}",
            "Reservations released whole because the exchange ended without usage (reset, error, no usage), by model.");

        public Counter<long> RefundedTokens { get; } = meter.CreateCounter<long>("extproc.budget.refunded.tokens", "{token}",
            "Reserved tokens given back: the part of a reservation not used, or all of it when released, by model.");

        public Counter<long> Rejections { get; } = meter.CreateCounter<long>("extproc.budget.rejections", "{request}",
            "Requests refused by a budget, by model and reason: tokens_per_minute, tokens_per_day, requests_per_minute or redis_unavailable.");

        public Counter<long> FailedOpen { get; } = meter.CreateCounter<long>("extproc.budget.failed_open", "{request}",
            "Requests admitted without a reservation because Redis did not answer (budgets.onRedisFailure: open), by model.");

        public Counter<long> RedisErrors { get; } = meter.CreateCounter<long>("extproc.redis.errors", "{error}",
            "Redis calls that failed, by operation (reserve, commit, release, cache_get, cache_set) and error: not_connected, timeout, connection or error.");
    }
}
