using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiSidecar.ExtProc.Budgets;
using AiSidecar.ExtProc.Configuration;
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
    /// <summary><c>budget --redis HOST:PORT [--rate 500] [--duration 20] [--warmup 3] [--tenants 64] [--control]</c>; <c>--control</c> first runs <see cref="OpenLoop.ControlAsync"/>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var (redis, rate, duration, warmup, tenants, control) = ("", 500, 20, 3, 64, false);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--redis": redis = args[++i]; break;
                case "--rate": rate = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--duration": duration = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--control": control = true; break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tenants": tenants = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (redis.Length == 0)
        {
            throw new ArgumentException("--redis HOST:PORT is required.");
        }

        var yaml = $"processing:\n  messageTimeoutMs: 10000\nredis:\n  endpoints: [\"{redis}\"]\n  operationTimeoutMs: 1000\n  keyPrefix: \"bench:\"\nbudgets:\n  enabled: true\n";
        if (!ConfigLoader.TryLoad(new ConfigSources(null, []), Encoding.UTF8.GetBytes(yaml), null, out var loaded, out var errors))
        {
            throw new ArgumentException(string.Join("\n", errors));
        }

        await using var services = new ServiceCollection().AddLogging().AddExtProcCore(loaded!).AddBudgets().BuildServiceProvider();
        var connection = services.GetRequiredService<RedisConnection>();
        await connection.StartAsync(CancellationToken.None).ConfigureAwait(false);
        var store = services.GetRequiredService<BudgetStore>();
        var limits = new BudgetLimits { TokensPerMinute = long.MaxValue / 4, TokensPerDay = long.MaxValue / 4, RequestsPerMinute = long.MaxValue / 4 };

        if (control)
        {
            (await OpenLoop.ControlAsync(rate, warmup, duration).ConfigureAwait(false)).Print("control (one thread-pool hop)", rate);
        }

        var result = await OpenLoop.RunAsync(rate, warmup, duration, async n =>
        {
            var keys = BudgetKey.Keys("bench:", "t" + (n % tenants).ToString(CultureInfo.InvariantCulture), "m", TimeProvider.System.GetUtcNow());
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
        result.Print("budget reservations", rate);
        await connection.DisposeAsync().ConfigureAwait(false);
        return result.Failures == 0 ? 0 : 1;
    }
}
