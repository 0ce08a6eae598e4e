using System.Globalization;
using AiSidecar.EngineSimulator;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>Prints the coalescing benchmark's tables and keeps the verdict on each target.</summary>
internal sealed class CoalesceReport(TextWriter output)
{
    public const string BatchRequestsMetric = "extproc_coalesce_batch_requests";
    public const string WaitMetric = "extproc_coalesce_wait_seconds";
    public const string UpstreamDurationMetric = "extproc_coalesce_upstream_duration_seconds";
    public const string RequestsMetric = "extproc_coalesce_requests_total";

    private readonly List<(string Target, string Figure, bool Met)> _verdicts = [];

    public bool AllMet => _verdicts.All(v => v.Met);

    public void Line(string text = "") => output.WriteLine(text);

    public void Verdict(string target, string figure, bool met)
    {
        _verdicts.Add((target, figure, met));
        output.WriteLine($"TARGET {(met ? "met" : "MISSED")}: {target}: {figure}");
    }

    public void PhaseTableHeader() =>
        Line("| path | requests/s | inputs/s | % of ideal | p50 ms | p90 ms | p99 ms | max ms | mean batch (requests) | server CPU per request | machine CPU busy | engine GPU busy | mean GPU batch | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

    /// <summary>One table row; single-input requests, so inputs/s equals requests/s.</summary>
    public void PhaseRow(string path, PhaseResult r, double ideal)
    {
        var s = r.Stats;
        var rps = r.RequestsPerSecond;
        var cpu = s.Completed > 0 ? Invariant($"{r.ServerCpu.TotalMilliseconds * 1000 / s.Completed:F0} µs ({r.ServerCpu / r.Window * 100:F0} % of a core)") : "n/a";
        Line(Invariant($"| {path} | {rps:F0} | {rps:F0} | {rps / ideal * 100:F0} % | {Ms(s.Total, 0.50)} | {Ms(s.Total, 0.90)} | {Ms(s.Total, 0.99)} | {s.Total.MaxMicros / 1000.0:F2} | {(r.Batches > 0 ? (r.BatchedRequests / r.Batches).ToString("F1", CultureInfo.InvariantCulture) : "-")} | {cpu} | {r.MachineCpu / r.Window / Environment.ProcessorCount * 100:F0} % | {r.EngineBusy / r.Window * 100:F0} % | {(r.EngineBatches > 0 ? (double)r.EngineItems / r.EngineBatches : 0):F1} | {s.Errors} |"));
    }

    /// <summary>The server's side of a coalesced phase: what the coalescer itself adds, and where requests went.</summary>
    public void ServerSide(PhaseResult r)
    {
        var count = PrometheusHistogram.Count(r.Wait);
        if (count > 0)
        {
            Line(Invariant($"  server {WaitMetric} over {count:F0} members: mean {r.WaitSeconds / count * 1000:F2} ms, p50 {Quantile(r.Wait, 0.5)}, p90 {Quantile(r.Wait, 0.9)}, p99 {Quantile(r.Wait, 0.99)}; share at or under each bound: {Shares(r.Wait)}"));
        }

        if (r.Calls > 0)
        {
            Line(Invariant($"  server batch calls: {r.Calls:F0}, mean {r.CallSeconds / r.Calls * 1000:F2} ms each ({r.Calls / r.Window.TotalSeconds:F0}/s)"));
        }

        if (r.Outcomes.Count > 0)
        {
            Line("  server " + RequestsMetric + ": " + string.Join(", ", r.Outcomes.Select(o => Invariant($"{o.Key}: {o.Value:F0}"))));
        }

        Line(Invariant($"  client: {r.Stats.Local} answered locally (coalesced), {r.Stats.Forwarded} continued to the engine; request side (server's reply to the body) p50 {Ms(r.Stats.RequestSide, 0.5)} ms, p99 {Ms(r.Stats.RequestSide, 0.99)} ms"));
        Errors(r.Stats);
    }

    public void Errors(PathStats stats)
    {
        foreach (var (kind, n) in stats.ErrorKinds)
        {
            Line(Invariant($"  error {kind}: {n}"));
        }
    }

    public static string Ms(LatencyHistogram histogram, double q) => (histogram.Quantile(q) / 1000).ToString("F2", CultureInfo.InvariantCulture);

    public static string Engine(SimulatorCounters c) =>
        Invariant($"engine: {c.Requests} requests, {c.GpuBatches} GPU passes, {c.Items} inputs, largest pass {c.LargestBatch}, GPU busy {c.BusyTime.TotalSeconds:F1} s");

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Quantile(SortedDictionary<double, double> buckets, double q)
    {
        var value = PrometheusHistogram.Quantile(buckets, q, out var above);
        return Invariant($"{(above ? ">" : "")}{value * 1000:F2} ms");
    }

    private static string Shares(SortedDictionary<double, double> buckets)
    {
        var total = PrometheusHistogram.Count(buckets);
        return string.Join(", ", buckets.Where(b => !double.IsPositiveInfinity(b.Key) && b.Key <= 0.05)
            .Select(b => Invariant($"{b.Key * 1000:G3} ms {b.Value / total * 100:F1} %")));
    }
}
