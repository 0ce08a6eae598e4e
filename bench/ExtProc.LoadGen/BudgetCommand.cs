using System.Diagnostics;
using System.Globalization;
using AiSidecar.ExtProc.Budgets;
using AiSidecar.ExtProc.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// <c>budget</c>: the budget check on its own at a fixed rate against a Redis (docs/benchmarks.md, "Token budgets and the response cache"):
/// the server's <see cref="BudgetStore"/> on its <see cref="RedisConnection"/> (one multiplexer, the per-call timeout),
/// one reservation (the Lua script: three counters checked and charged) every 1/rate seconds, open loop, each
/// settled after it by a commit that is not timed. Tenants rotate so no budget runs out. Prints the reservation
/// latency's quantiles.
/// </summary>
internal static class BudgetCommand
{
    /// <summary><c>budget --redis HOST:PORT [--rate 500] [--duration 20] [--warmup 3] [--tenants 64] [--control]</c> (<see cref="RedisBench"/>).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        await using var bench = await RedisBench.StartAsync(args, _ => "budgets:\n  enabled: true\n", s => s.AddBudgets()).ConfigureAwait(false);
        var store = bench.Services.GetRequiredService<BudgetStore>();
        var prefix = bench.Services.GetRequiredService<RedisConnection>().KeyPrefix;
        var limits = new BudgetLimits { TokensPerMinute = long.MaxValue / 4, TokensPerDay = long.MaxValue / 4, RequestsPerMinute = long.MaxValue / 4 };
        return await bench.MeasureAsync("budget reservations", async n =>
        {
            var keys = BudgetKey.Keys(prefix, "t" + (n % bench.Settings.Tenants).ToString(CultureInfo.InvariantCulture), "m", TimeProvider.System.GetUtcNow());
            try
            {
                var started = Stopwatch.GetTimestamp();
                await store.ReserveAsync(keys, 300, limits, TimeSpan.FromSeconds(60), TimeSpan.FromDays(1)).ConfigureAwait(false);
                var elapsed = Stopwatch.GetTimestamp() - started;
                await store.AdjustAsync([keys[0], keys[1]], -100, "commit").ConfigureAwait(false);
                return elapsed;
            }
            catch (RedisUnavailableException)
            {
                return null;
            }
        }).ConfigureAwait(false);
    }
}
