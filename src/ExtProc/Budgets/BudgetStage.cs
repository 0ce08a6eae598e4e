using System.Globalization;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiSidecar.ExtProc.Budgets;

/// <summary>
/// Budgets (order 650: after count and route, so the exact prompt count and the model are known; before admission, so
/// a tenant over budget takes no pool's capacity). Reserves the prompt's tokens plus <c>max_tokens</c> (or the model's
/// default) and one request in the tenant's counters for the model, atomically in Redis; the reservation is the
/// exchange's <c>budget</c> lease, reconciled with the response's usage when the exchange ends
/// (<see cref="BudgetReservation"/>). Exhausted: 429 with <c>retry-after</c> and the rate-limit headers.
/// </summary>
internal sealed class BudgetStage(
    IOptions<BudgetOptions> options, BudgetStore store, RedisConnection redis, ExtProcMetrics metrics, TimeProvider time, ILogger<BudgetStage> logger)
    : IRequestStage
{
    private readonly BudgetOptions _options = options.Value;

    public int Order => StageOrder.Budget;

    public string Name => "budget";

    public async ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        if (!_options.Enabled || exchange.Synthetic || exchange.Request is null)
        {
            return StageResult.Continue;
        }

        var model = exchange.Model?.Name ?? "";
        var limits = _options.Models.GetValueOrDefault(model) ?? _options.Default;
        if (!limits.Any)
        {
            return StageResult.Continue;
        }

        var completion = exchange.MaxCompletionTokens ?? (limits.DefaultMaxTokens > 0 ? limits.DefaultMaxTokens : _options.DefaultMaxTokens);
        long cost = (exchange.PromptTokens ?? 0) + Math.Max(0, completion);
        var now = time.GetUtcNow();
        var epochMs = now.ToUnixTimeMilliseconds();
        var minuteLeft = TimeSpan.FromMilliseconds(60_000 - epochMs % 60_000);
        var dayLeft = TimeSpan.FromMilliseconds(86_400_000 - epochMs % 86_400_000);
        var keys = BudgetKey.Keys(redis.KeyPrefix, BudgetKey.TenantOf(exchange, _options.TenantHeader), model, now);

        ReserveResult result;
        try
        {
            result = await store.ReserveAsync(keys, cost, limits, minuteLeft, dayLeft).ConfigureAwait(false);
        }
        catch (RedisUnavailableException ex)
        {
            BudgetsLog.ReserveFailed(logger, model, ex.Message, _options.OnRedisFailure);
            if (_options.OnRedisFailure == RedisFailurePolicy.Open)
            {
                metrics.BudgetFailedOpen(model);
                return StageResult.Continue;
            }

            metrics.BudgetRejected(model, "redis_unavailable");
            return StageResult.Respond(LocalResponse.FromError(ApiErrors.BudgetUnavailable(), new KeyValuePair<string, string>("retry-after", "1")));
        }

        var headers = RateLimitHeaders.For(limits, result, minuteLeft, dayLeft);
        if (!result.Admitted)
        {
            metrics.BudgetRejected(model, ReasonOf(result.RefusedBy));
            var wait = result.RefusedBy == BudgetCounter.TokensPerDay ? dayLeft : minuteLeft;
            var retryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return StageResult.Respond(LocalResponse.FromError(ApiErrors.BudgetExceeded(ReasonOf(result.RefusedBy), retryAfter),
                [new("retry-after", retryAfter), .. headers]));
        }

        RedisKey[] tokenKeys = (limits.TokensPerMinute, limits.TokensPerDay) switch
        {
            ( > 0, > 0) => [keys[0], keys[1]],
            ( > 0, _) => [keys[0]],
            (_, > 0) => [keys[1]],
            _ => [],
        };
        metrics.BudgetReserved(model, cost);
        var reservation = new BudgetReservation(exchange, store, tokenKeys, cost, model, metrics, logger) { Headers = headers };
        exchange.Budget = reservation;
        exchange.AddLease("budget", reservation);
        return StageResult.Continue;
    }

    /// <summary>The <c>reason</c> label of a refusal.</summary>
    private static string ReasonOf(BudgetCounter counter) => counter switch
    {
        BudgetCounter.TokensPerMinute => "tokens_per_minute",
        BudgetCounter.TokensPerDay => "tokens_per_day",
        _ => "requests_per_minute",
    };
}
