using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Telemetry;
using StackExchange.Redis;

namespace AiSidecar.ExtProc.Budgets;

/// <summary>
/// One request's reservation, held as the exchange's <c>budget</c> lease. When the exchange ends, however it ends, it
/// is reconciled with the usage the response reported (<see cref="Exchange.Usage"/>): the difference is refunded (or,
/// past the reservation, charged); without usage (a reset, an error, no usage in the body) the whole reservation is
/// released.
/// </summary>
internal sealed class BudgetReservation(
    Exchange exchange, BudgetStore store, RedisKey[] tokenKeys, long reserved, string model, ExtProcMetrics metrics, ILogger logger)
    : IAsyncDisposable
{
    /// <summary>The rate-limit headers every response of the request carries.</summary>
    public required KeyValuePair<string, string>[] Headers { get; init; }

    public async ValueTask DisposeAsync()
    {
        var usage = exchange.Usage?.Usage;
        var actual = usage is { } u ? u.Input + (u.Output ?? 0) : 0;
        var delta = actual - reserved;
        if (usage is not null)
        {
            metrics.BudgetCommitted(model, actual, Math.Max(0, -delta));
        }
        else
        {
            metrics.BudgetReleased(model, reserved);
        }

        if (delta == 0 || tokenKeys.Length == 0)
        {
            return;
        }

        try
        {
            await store.AdjustAsync(tokenKeys, delta, usage is null ? RedisOperation.Release : RedisOperation.Commit).ConfigureAwait(false);
        }
        catch (RedisUnavailableException ex)
        {
            // Counted as a Redis error; the window's end resets the counter.
            BudgetsLog.ReconcileFailed(logger, model, delta, ex.Message);
        }
    }
}
