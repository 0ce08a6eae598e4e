using System.Diagnostics;
using AiSidecar.EngineSimulator;
using Microsoft.ML.Tokenizers;
using static AiSidecar.ExtProc.LoadGen.Coalescing.CoalesceReport;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>
/// The <c>coalesce</c> command (docs/benchmarks.md, "Coalescing (issue 12)"): single-input embedding requests from
/// closed-loop clients, sent directly (ext_proc, then the engine, as Envoy does) and coalesced (the server answers
/// from a batch), side by side against the engine simulator with TEI's L4 costs, serial and batching inside; then a
/// lone client alternating both paths; then a stalled engine holding requests against the server's cap.
/// </summary>
internal static class CoalesceCommand
{
    /// <summary>The memory run's message timeout (and upstream call timeout): long, so held requests stay held while measured.</summary>
    private const int HoldMessageTimeoutMs = 60_000;

    /// <summary>Unmeasured requests of each path before the lone-request comparison.</summary>
    private const int LoneWarmup = 200;

    /// <summary>"Within noise" for the batching engine: coalesced at least this share of direct.</summary>
    private const double Noise = 0.95;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var o = CoalesceOptions.Parse(args);
        var tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
        Func<string, int> count = text => tokenizer.CountTokens(text);
        var report = new CoalesceReport(Console.Out);
        report.Line(Invariant($"coalesce: {TimeProvider.System.GetUtcNow():u}, {Environment.ProcessorCount} CPUs, load average {ServerProcessInfo.LoadAverage()}; clients {o.Clients} over {o.Connections} ext_proc connections, warm-up {o.Warmup.TotalSeconds} s per path and server, then per path {o.Duration.TotalSeconds} s measured in {o.Rounds} turns, each after {o.Settle.TotalSeconds} s unmeasured; maxWaitMs {o.MaxWaitMs}, messageTimeoutMs {o.MessageTimeoutMs}; texts of {MeanTokens(count):F1} o200k tokens on average"));

        foreach (var mode in o.Modes)
        {
            await ModeAsync(o, mode, count, report).ConfigureAwait(false);
        }

        if (o.Hold > 0)
        {
            await HoldAsync(o, count, report).ConfigureAwait(false);
        }

        report.Line(Invariant($"load average at the end {ServerProcessInfo.LoadAverage()}"));
        return report.AllMet ? 0 : 1;
    }

    private static async Task ModeAsync(CoalesceOptions o, SimulatorMode mode, Func<string, int> count, CoalesceReport report)
    {
        var inFlight = mode == SimulatorMode.Serial ? 1 : o.BatchingInFlight;
        await using var bench = await CoalesceBench.StartAsync(mode, count, o.Connections,
            url => CoalesceConfig.Yaml(url, inFlight, o.MaxWaitMs, heldCap: 10_000, heldBytes: 256 << 20, o.MessageTimeoutMs)).ConfigureAwait(false);
        var ideal = bench.Engine.IdealItemsPerSecond;
        report.Line();
        report.Line(Invariant($"## {Name(mode)} engine (TEI L4 costs; ideal {ideal:F0} inputs/s), upstream maxInFlight {inFlight}, {o.Clients} clients; server pid {bench.Server.Pid}, RSS {bench.RssBytes() / 1e6:F0} MB, load average {ServerProcessInfo.LoadAverage()}"));

        // Each path warms alone: both at once would queue direct requests at the engine in front of the batches.
        foreach (var (model, on) in new[] { (CoalesceConfig.DirectModel, o.Direct), (CoalesceConfig.CoalescedModel, o.Coalesced) })
        {
            if (on)
            {
                var warm = await ClosedLoop.RunAsync(bench, model, o.Clients, o.Warmup, TimeSpan.Zero).ConfigureAwait(false);
                report.Line(Invariant($"  warm-up {model}: {warm.Stats.CompletedTotal} requests in {o.Warmup.TotalSeconds} s, {warm.Stats.Errors} errors"));
                report.Errors(warm.Stats);
            }
        }

        // The paths take turns, each round a slice of the measured time: a change in the shared machine's load falls on both.
        var direct = o.Direct ? new PhaseResult() : null;
        var coalesced = o.Coalesced ? new PhaseResult() : null;
        var slice = o.Duration / o.Rounds;
        for (var round = 0; round < o.Rounds; round++)
        {
            foreach (var (model, total) in new[] { (CoalesceConfig.DirectModel, direct), (CoalesceConfig.CoalescedModel, coalesced) })
            {
                total?.Add(await ClosedLoop.RunAsync(bench, model, o.Clients, o.Settle, slice).ConfigureAwait(false));
            }
        }

        report.PhaseTableHeader();
        if (direct is not null)
        {
            report.PhaseRow("direct", direct, ideal);
        }

        if (coalesced is not null)
        {
            report.PhaseRow("coalesced", coalesced, ideal);
        }

        if (direct is not null)
        {
            report.Errors(direct.Stats);
        }

        if (coalesced is not null)
        {
            report.ServerSide(coalesced);
        }

        report.Line(Invariant($"  {Engine(bench.Engine.Counters)} (the whole set-up); load average {ServerProcessInfo.LoadAverage()}"));
        if (direct is not null && coalesced is not null)
        {
            var ratio = coalesced.RequestsPerSecond / direct.RequestsPerSecond;
            if (mode == SimulatorMode.Serial)
            {
                report.Verdict("serial: coalesced >= 3x direct", Invariant($"{ratio:F2}x ({coalesced.RequestsPerSecond:F0} vs {direct.RequestsPerSecond:F0} requests/s)"), ratio >= 3);
                var share = coalesced.RequestsPerSecond / ideal;
                report.Verdict("serial: coalesced >= 80 % of ideal", Invariant($"{share * 100:F0} % of {ideal:F0} inputs/s"), share >= 0.8);
            }
            else
            {
                report.Verdict(Invariant($"batching: coalesced never below direct (>= {Noise * 100:F0} %)"), Invariant($"{ratio:F2}x ({coalesced.RequestsPerSecond:F0} vs {direct.RequestsPerSecond:F0} requests/s)"), ratio >= Noise);
            }

            var added = (coalesced.Stats.Total.Quantile(0.99) - direct.Stats.Total.Quantile(0.99)) / 1000;
            report.Verdict(Invariant($"{Name(mode)}: p99 added under load <= window + 2 ms ({o.MaxWaitMs + 2} ms)"),
                Invariant($"coalesced p99 {Ms(coalesced.Stats.Total, 0.99)} ms - direct p99 {Ms(direct.Stats.Total, 0.99)} ms = {added:F2} ms"), added <= o.MaxWaitMs + 2);
        }

        if (o.LoneRequests > 0 && o.Direct && o.Coalesced)
        {
            await LoneAsync(bench, o.LoneRequests, mode, report).ConfigureAwait(false);
        }
    }

    /// <summary>One client, one request at a time, alternating the paths (so drift in the machine's load hits both alike).</summary>
    private static async Task LoneAsync(CoalesceBench bench, int requests, SimulatorMode mode, CoalesceReport report)
    {
        var exchange = bench.Exchange(0);
        var direct = new PathStats();
        var coalesced = new PathStats();
        for (var i = 0; i < LoneWarmup; i++)
        {
            await exchange.RunAsync(EmbeddingBodies.Create(CoalesceConfig.DirectModel, ClosedLoop.NextNumber()), direct, () => false, CancellationToken.None).ConfigureAwait(false);
            await exchange.RunAsync(EmbeddingBodies.Create(CoalesceConfig.CoalescedModel, ClosedLoop.NextNumber()), coalesced, () => false, CancellationToken.None).ConfigureAwait(false);
        }

        var before = await bench.ScrapeAsync().ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        (string Model, PathStats Stats)[] directFirst = [(CoalesceConfig.DirectModel, direct), (CoalesceConfig.CoalescedModel, coalesced)];
        (string Model, PathStats Stats)[] coalescedFirst = [(CoalesceConfig.CoalescedModel, coalesced), (CoalesceConfig.DirectModel, direct)];
        for (var i = 0; i < requests; i++)
        {
            foreach (var (model, stats) in i % 2 == 0 ? directFirst : coalescedFirst)
            {
                await exchange.RunAsync(EmbeddingBodies.Create(model, ClosedLoop.NextNumber()), stats, () => true, CancellationToken.None).ConfigureAwait(false);
            }
        }

        var after = await bench.ScrapeAsync().ConfigureAwait(false);
        var wait = after.Histogram(WaitMetric).Minus(before.Histogram(WaitMetric)).Total();
        var batches = after.Sum(BatchRequestsMetric + "_count") - before.Sum(BatchRequestsMetric + "_count");
        var batched = after.Sum(BatchRequestsMetric + "_sum") - before.Sum(BatchRequestsMetric + "_sum");
        report.Line(Invariant($"  lone client ({Name(mode)} engine), {requests} requests per path alternating, {clock.Elapsed.TotalSeconds:F0} s:"));
        report.Line("  | path | p50 ms | p90 ms | p99 ms | errors |\n  | --- | ---: | ---: | ---: | ---: |");
        report.Line(Invariant($"  | direct | {Ms(direct.Total, 0.5)} | {Ms(direct.Total, 0.9)} | {Ms(direct.Total, 0.99)} | {direct.Errors} |"));
        report.Line(Invariant($"  | coalesced | {Ms(coalesced.Total, 0.5)} | {Ms(coalesced.Total, 0.9)} | {Ms(coalesced.Total, 0.99)} | {coalesced.Errors} |"));
        report.Line(Invariant($"  server: {batches:F0} batches of {(batches > 0 ? batched / batches : 0):F2} requests on average; {WaitMetric} p99 {PrometheusHistogram.Quantile(wait, 0.99, out _) * 1000:F2} ms; coalesced answered locally {coalesced.Local}, continued {coalesced.Forwarded}"));
        report.Errors(direct);
        report.Errors(coalesced);
        var added = (coalesced.Total.Quantile(0.5) - direct.Total.Quantile(0.5)) / 1000;
        report.Verdict(Invariant($"{Name(mode)}: a lone request adds < 0.5 ms (difference of medians)"),
            Invariant($"{Ms(coalesced.Total, 0.5)} - {Ms(direct.Total, 0.5)} = {added:F3} ms"), added < 0.5 && coalesced.Local == coalesced.Completed);
    }

    /// <summary>
    /// A stalled serial engine and <see cref="CoalesceOptions.Hold"/> requests at once: the server holds up to its
    /// cap and passes the rest through, and its RSS is read idle and holding; then the engine is released and every
    /// request must be answered. A control round on a fresh server sends the same requests for the model that does
    /// not coalesce: the same streams open, nothing held, so the difference is what holding costs.
    /// </summary>
    private static async Task HoldAsync(CoalesceOptions o, Func<string, int> count, CoalesceReport report)
    {
        report.Line();
        report.Line(Invariant($"## memory: {o.Hold} requests at once against a stalled serial engine; coalescing.maxHeldRequests {o.HeldCap}, maxHeldBytes {o.HeldBytes}, messageTimeoutMs {HoldMessageTimeoutMs}; {o.HoldConnections} ext_proc connections"));
        var held = await HoldRoundAsync(o, count, CoalesceConfig.CoalescedModel, report).ConfigureAwait(false);
        var control = await HoldRoundAsync(o, count, CoalesceConfig.DirectModel, report).ConfigureAwait(false);
        report.Line(Invariant($"  holding {Math.Min(o.Hold, o.HeldCap)} requests cost {(held - control) / 1e6:F0} MB of RSS beyond the same {o.Hold} streams open without coalescing ({(held - control) / Math.Max(1, Math.Min(o.Hold, o.HeldCap)) / 1e3:F1} kB per held request)"));
    }

    /// <summary>One round of <see cref="HoldAsync"/> on a fresh server; returns its RSS growth from idle to holding.</summary>
    private static async Task<long> HoldRoundAsync(CoalesceOptions o, Func<string, int> count, string model, CoalesceReport report)
    {
        var coalescing = model == CoalesceConfig.CoalescedModel;
        await using var bench = await CoalesceBench.StartAsync(SimulatorMode.Serial, count, o.HoldConnections,
            url => CoalesceConfig.Yaml(url, maxInFlight: 1, o.MaxWaitMs, o.HeldCap, o.HeldBytes, HoldMessageTimeoutMs)).ConfigureAwait(false);

        // Warm the path (JIT, pools), then let the server settle before reading its idle RSS.
        var warm = await ClosedLoop.RunAsync(bench, model, 16, o.Warmup, TimeSpan.Zero).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        var idle = bench.RssBytes() ?? 0;
        var before = await bench.ScrapeAsync().ConfigureAwait(false);
        report.Line(Invariant($"  {model} (server pid {bench.Server.Pid}): warm-up {warm.Stats.CompletedTotal} requests, {warm.Stats.Errors} errors; RSS idle {idle / 1e6:F0} MB"));

        bench.Engine.Stall();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var continued = 0;
        var clock = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var peaks = SampleAsync(bench, sampling.Token);
        using var hardStop = new CancellationTokenSource(TimeSpan.FromMilliseconds(HoldMessageTimeoutMs * 2));
        var requests = Enumerable.Range(0, o.Hold).Select(i => Task.Run(async () =>
        {
            var own = new PathStats();
            await bench.Exchange(i).RunAsync(EmbeddingBodies.Create(model, ClosedLoop.NextNumber()), own, () => true, hardStop.Token,
                release.Task, () => Interlocked.Increment(ref continued)).ConfigureAwait(false);
            return own;
        })).ToArray();

        // Settled: the cap's worth held (one batch of them at the stalled engine), everything else continued.
        var expectHeld = coalescing ? Math.Min(o.Hold, o.HeldCap) : 0;
        var expectContinued = o.Hold - expectHeld;
        var settled = false;
        while (clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            var scrape = await bench.TryScrapeAsync().ConfigureAwait(false);
            if (Volatile.Read(ref continued) >= expectContinued && scrape?.Sum("extproc_coalesce_held") >= expectHeld)
            {
                settled = true;
                break;
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        var settledAfter = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        var holdingRss = bench.RssBytes() ?? 0;
        var holding = await bench.ScrapeAsync().ConfigureAwait(false);
        var heldNow = holding.Sum("extproc_coalesce_held");
        var heldCapPassed = holding.Sum(RequestsMetric, MetricsScrape.Label("outcome", "passthrough"), MetricsScrape.Label("reason", "held_cap"))
            - before.Sum(RequestsMetric, MetricsScrape.Label("outcome", "passthrough"), MetricsScrape.Label("reason", "held_cap"));
        var engineHeld = bench.Engine.HeldRequests;

        bench.Engine.Release();
        release.SetResult();
        var stats = new PathStats();
        foreach (var own in await Task.WhenAll(requests).ConfigureAwait(false))
        {
            stats.Add(own);
        }

        var drained = clock.Elapsed;
        await sampling.CancelAsync().ConfigureAwait(false);
        var (maxHeld, maxHeldBytes, maxRss, samples, skipped) = await peaks.ConfigureAwait(false);
        var after = await bench.ScrapeAsync().ConfigureAwait(false);

        report.Line(Invariant($"    {(settled ? "settled" : "NOT settled")} {settledAfter.TotalSeconds:F1} s after sending: held {heldNow:F0}, continued to the engine {continued} (held_cap passthroughs {heldCapPassed:F0}), at the stalled engine {engineHeld} request(s)"));
        report.Line(Invariant($"    every 100 ms until released ({samples} scrapes, {skipped} unanswered within 2 s): extproc_coalesce_held max {maxHeld:F0}, extproc_coalesce_held_body_bytes max {maxHeldBytes:F0}, RSS max {maxRss / 1e6:F0} MB"));
        report.Line(Invariant($"    RSS idle {idle / 1e6:F0} MB, holding {holdingRss / 1e6:F0} MB (+{(holdingRss - idle) / 1e6:F0} MB with {o.Hold} streams open, {heldNow:F0} of them held)"));
        report.Line(Invariant($"    released: all answered {(drained - settledAfter).TotalSeconds:F1} s later; {stats.Local} coalesced answers, {stats.Forwarded} answered by the engine, {stats.Errors} errors; held afterwards {after.Sum("extproc_coalesce_held"):F0}"));
        report.Errors(stats);
        if (coalescing)
        {
            report.Verdict(Invariant($"memory: held never above maxHeldRequests {o.HeldCap}"), Invariant($"max sampled {maxHeld:F0}, at rest {heldNow:F0}"), settled && maxHeld <= o.HeldCap);
            report.Verdict("memory: requests beyond the cap pass through", Invariant($"{heldCapPassed:F0} held_cap passthroughs of {expectContinued} expected"), heldCapPassed == expectContinued);
        }

        report.Verdict(Invariant($"memory ({model}): every request answered after the release"), Invariant($"{stats.Completed} of {o.Hold}, {stats.Errors} errors"), stats.Completed == o.Hold && stats.Errors == 0);
        return holdingRss - idle;
    }

    /// <summary>The highest held count, held bytes and RSS seen every 100 ms until cancelled (a scrape the starved server does not answer in time is skipped).</summary>
    private static async Task<(double Held, double HeldBytes, long Rss, int Samples, int Skipped)> SampleAsync(CoalesceBench bench, CancellationToken stop)
    {
        double held = 0, bytes = 0;
        long rss = 0;
        int samples = 0, skipped = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                if (await bench.TryScrapeAsync().ConfigureAwait(false) is { } scrape)
                {
                    samples++;
                    held = Math.Max(held, scrape.Sum("extproc_coalesce_held"));
                    bytes = Math.Max(bytes, scrape.Sum("extproc_coalesce_held_body_bytes"));
                }
                else
                {
                    skipped++;
                }

                rss = Math.Max(rss, bench.RssBytes() ?? 0);
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }

        return (held, bytes, rss, samples, skipped);
    }

    private static string Name(SimulatorMode mode) => mode == SimulatorMode.Serial ? "serial" : "batching";

    private static double MeanTokens(Func<string, int> count) =>
        Enumerable.Range(1, 1000).Average(i => count(System.Text.Json.JsonDocument.Parse(EmbeddingBodies.Create("m", i)).RootElement.GetProperty("input").GetString()!));
}
