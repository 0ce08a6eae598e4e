using System.Globalization;
using AiSidecar.EngineSimulator;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>Prints the coalescing benchmark's tables and keeps the verdict on each target.</summary>
internal sealed class CoalesceReport(TextWriter output)
{
    public const string BatchRequests = "extproc_coalesce_batch_requests";
    public const string Wait = "extproc_coalesce_wait_seconds";
    public const string UpstreamDuration = "extproc_coalesce_upstream_duration_seconds";
    public const string Requests = "extproc_coalesce_requests_total";

    private readonly List<(string Target, string Figure, bool Met)> _verdicts = [];

    public bool AllMet => _verdicts.All(v => v.Met);

    public void Line(string text = "") => output.WriteLine(text);

    public void Verdict(string target, string figure, bool met)
    {
        _verdicts.Add((target, figure, met));
        output.WriteLine($"TARGET {(met ? "met" : "MISSED")}: {target}: {figure}");
    }

    public void PhaseTableHeader() =>
        Line("| path | requests/s | inputs/s | % of ideal | p50 ms | p90 ms | p99 ms | max ms | mean batch (requests) | server CPU per request | engine GPU busy | mean GPU batch | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

    /// <summary>One table row; single-input requests, so inputs/s equals requests/s.</summary>
    public void PhaseRow(string path, PhaseResult r, double ideal)
    {
        var s = r.Stats;
        var rps = r.RequestsPerSecond;
        var batches = r.After.Sum(BatchRequests + "_count") - r.Before.Sum(BatchRequests + "_count");
        var batched = r.After.Sum(BatchRequests + "_sum") - r.Before.Sum(BatchRequests + "_sum");
        var engineBatches = r.EngineAfter.GpuBatches - r.EngineBefore.GpuBatches;
        var engineItems = r.EngineAfter.Items - r.EngineBefore.Items;
        var busy = (r.EngineAfter.BusyTime - r.EngineBefore.BusyTime) / r.Window;
        Line(Invariant($"| {path} | {rps:F0} | {rps:F0} | {rps / ideal * 100:F0} % | {Ms(s.Total, 0.50)} | {Ms(s.Total, 0.90)} | {Ms(s.Total, 0.99)} | {s.Total.MaxMicros / 1000.0:F2} | {(batches > 0 ? (batched / batches).ToString("F1", CultureInfo.InvariantCulture) : "-")} | {Cpu(r)} | {busy * 100:F0} % | {(engineBatches > 0 ? (double)engineItems / engineBatches : 0):F1} | {s.Errors} |"));
    }

    /// <summary>The server's side of a coalesced phase: what the coalescer itself adds, and where requests went.</summary>
    public void ServerSide(PhaseResult r)
    {
        var wait = r.After.Histogram(Wait).Minus(r.Before.Histogram(Wait)).Total();
        var count = PrometheusHistogram.Count(wait);
        if (count > 0)
        {
            var mean = (r.After.Sum(Wait + "_sum") - r.Before.Sum(Wait + "_sum")) / count;
            Line(Invariant($"  server {Wait} over {count:F0} members: mean {mean * 1000:F2} ms, p50 {Quantile(wait, 0.5)}, p90 {Quantile(wait, 0.9)}, p99 {Quantile(wait, 0.99)}; share at or under each bound: {Shares(wait)}"));
        }

        var calls = r.After.Sum(UpstreamDuration + "_count") - r.Before.Sum(UpstreamDuration + "_count");
        if (calls > 0)
        {
            var mean = (r.After.Sum(UpstreamDuration + "_sum") - r.Before.Sum(UpstreamDuration + "_sum")) / calls;
            Line(Invariant($"  server batch calls: {calls:F0}, mean {mean * 1000:F2} ms each ({calls / r.Window.TotalSeconds:F0}/s)"));
        }

        var outcomes = r.After.Plain.Family(Requests).Select(s => (s.Series, Value: s.Value - r.Before.Plain[s.Series])).Where(s => s.Value > 0).ToList();
        if (outcomes.Count > 0)
        {
            Line("  server " + Requests + ": " + string.Join(", ", outcomes.Select(o => Invariant($"{o.Series[(Requests.Length + 1)..^1]}: {o.Value:F0}"))));
        }

        Line(Invariant($"  client: {r.Stats.Local} answered locally (coalesced), {r.Stats.Forwarded} continued to the engine; request side (server's reply to the body) p50 {Ms(r.Stats.RequestSide, 0.5)} ms, p99 {Ms(r.Stats.RequestSide, 0.99)} ms"));
        foreach (var (kind, n) in r.Stats.ErrorKinds)
        {
            Line(Invariant($"  error {kind}: {n}"));
        }
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

    private static string Cpu(PhaseResult r) =>
        r.Cpu.Server is { } server && r.Stats.Completed > 0
            ? Invariant($"{server.TotalMilliseconds * 1000 / r.Stats.Completed:F0} µs ({server / r.Window * 100:F0} % of a core)")
            : "n/a";

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
