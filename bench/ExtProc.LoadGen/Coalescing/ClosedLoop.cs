using System.Diagnostics;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>
/// Closed-loop clients, each sending its next request when the last is answered, every request a distinct text.
/// A request counts when it is answered inside the measured window (after the warm-up), so the window is exact.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>Request numbers: every text of the whole run is distinct.</summary>
    private static long _number;

    public static long NextNumber() => Interlocked.Increment(ref _number);

    /// <summary>Runs <paramref name="clients"/> clients sending requests for <paramref name="model"/>: <paramref name="warmup"/> unmeasured, then <paramref name="duration"/> measured.</summary>
    public static async Task<PhaseResult> RunAsync(CoalesceBench bench, string model, int clients, TimeSpan warmup, TimeSpan duration)
    {

        var measuring = false;
        var stop = false;
        using var hardStop = new CancellationTokenSource(warmup + duration + TimeSpan.FromMinutes(2));
        var workers = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var stats = new PathStats();
            var exchange = bench.Exchange(i);
            while (!Volatile.Read(ref stop) && !hardStop.IsCancellationRequested)
            {
                await exchange.RunAsync(EmbeddingBodies.Create(model, NextNumber()), stats, () => Volatile.Read(ref measuring), hardStop.Token).ConfigureAwait(false);
            }

            return stats;
        })).ToArray();

        await Task.Delay(warmup).ConfigureAwait(false);
        var before = await bench.ScrapeAsync().ConfigureAwait(false);
        var engineBefore = bench.Engine.Counters;
        var cpuBefore = new CpuSnapshot(bench.Server.Pid);
        var started = Stopwatch.GetTimestamp();
        Volatile.Write(ref measuring, true);
        await Task.Delay(duration).ConfigureAwait(false);
        Volatile.Write(ref measuring, false);
        var window = Stopwatch.GetElapsedTime(started);
        var cpu = new CpuSnapshot(bench.Server.Pid).Minus(cpuBefore);
        var engineAfter = bench.Engine.Counters;
        var after = await bench.ScrapeAsync().ConfigureAwait(false);
        Volatile.Write(ref stop, true);

        var all = new PathStats();
        foreach (var stats in await Task.WhenAll(workers).ConfigureAwait(false))
        {
            all.Add(stats);
        }

        return PhaseResult.Of(all, window, cpu, before, after, engineBefore, engineAfter);
    }
}
