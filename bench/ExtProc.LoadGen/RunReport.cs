using System.Globalization;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>Prints the run's settings, the RSS series and the results.</summary>
internal sealed class RunReport(TextWriter output)
{
    private static readonly (string Name, double Q)[] Quantiles = [("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("p99.9", 0.999)];

    private readonly List<long> _rss = [];

    public void Header(LoadOptions o, Uri target, int bodyBytes, int? pid, Uri? metrics)
    {
        output.WriteLine(FormattableString.Invariant(
            $"target={target} streams={o.Streams} connections={o.Connections} body={bodyBytes}B turns={o.Turns} prompts={(o.SameBody ? "same" : "distinct")} warmup={o.Warmup.TotalSeconds}s duration={o.Duration.TotalSeconds}s requests={o.Requests?.ToString(CultureInfo.InvariantCulture) ?? "-"} rate={(o.Rate > 0 ? RunCommand.F(o.Rate, "F0") + "/s" : "closed-loop")}"));
        output.WriteLine(FormattableString.Invariant(
            $"server pid={pid?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} metrics={metrics?.ToString() ?? "none"} loadavg(start)={ServerProcessInfo.LoadAverage()} cpus={Environment.ProcessorCount}"));
    }

    public void SampleHeader(int? pid) =>
        output.WriteLine(pid is null ? "t(s)  exchanges/s" : "t(s)  exchanges/s  server VmRSS(MiB)");

    public void Sample(TimeSpan at, double rate, long? rssKiB)
    {
        if (rssKiB is { } kib)
        {
            _rss.Add(kib);
        }

        output.WriteLine(FormattableString.Invariant(
            $"{at.TotalSeconds,5:F0}  {rate,11:F0}  {(rssKiB is { } k ? RunCommand.F(k / 1024.0) : ""),17}"));
    }

    public void Results(WorkerStats stats, TimeSpan window, PrometheusHistogram? serverSide, CpuSnapshot cpu, bool paced)
    {
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant(
            $"RESULT exchanges={stats.Completed} window={window.TotalSeconds:F1}s throughput={stats.Completed / window.TotalSeconds:F0}/s routed={stats.Routed} errors={stats.Errors} loadavg(end)={ServerProcessInfo.LoadAverage()}"));
        foreach (var (kind, count) in stats.ErrorKinds)
        {
            output.WriteLine(FormattableString.Invariant($"  error {kind}: {count}"));
        }

        var perExchange = Math.Max(1, stats.Completed);
        output.WriteLine(FormattableString.Invariant(
            $"cpu: server={(cpu.Server is { } s ? $"{s.TotalSeconds / window.TotalSeconds * 100:F0}% ({s.TotalMilliseconds * 1000 / perExchange:F0} us/exchange)" : "n/a")} loadgen={cpu.Client.TotalSeconds / window.TotalSeconds * 100:F0}% ({cpu.Client.TotalMilliseconds * 1000 / perExchange:F0} us/exchange) other-processes={(cpu.Others is { } o ? $"{Math.Max(0, o.TotalSeconds) / window.TotalSeconds * 100:F0}%" : "n/a")} of {Environment.ProcessorCount * 100}%"));
        Latencies("client exchange latency (3 round trips)", stats.Exchange);
        if (paced)
        {
            Latencies("client exchange latency from schedule", stats.FromSchedule);
        }

        Latencies("client request_body round trip", stats.Body);

        if (serverSide is not null)
        {
            foreach (var series in serverSide.Series.Order(StringComparer.Ordinal))
            {
                ServerQuantiles(series, serverSide.Get(series));
            }

            ServerQuantiles("all messages", serverSide.Total());
        }

        if (_rss.Count > 1)
        {
            output.WriteLine(FormattableString.Invariant(
                $"server VmRSS MiB: first={_rss[0] / 1024.0:F1} min={_rss.Min() / 1024.0:F1} max={_rss.Max() / 1024.0:F1} last={_rss[^1] / 1024.0:F1} (samples={_rss.Count})"));
        }
    }

    private void Latencies(string name, LatencyHistogram histogram)
    {
        var parts = Quantiles.Select(q => $"{q.Name}={histogram.Quantile(q.Q) / 1000.0:F3}");
        output.WriteLine(FormattableString.Invariant($"{name} ms: {string.Join(' ', parts)} max={histogram.MaxMicros / 1000.0:F3}"));
    }

    private void ServerQuantiles(string series, SortedDictionary<double, double> buckets)
    {
        var parts = Quantiles.Select(q =>
        {
            var value = PrometheusHistogram.Quantile(buckets, q.Q, out var above);
            return FormattableString.Invariant($"{q.Name}={(above ? ">" : "")}{value * 1000:F3}");
        });
        output.WriteLine(FormattableString.Invariant(
            $"server {ProcessingName} {series} ms (n={PrometheusHistogram.Count(buckets):F0}): {string.Join(' ', parts)} {Within(buckets, 0.001)} {Within(buckets, 0.01)}"));
    }

    /// <summary>The share of observations at or under a bucket edge (exact: no interpolation), e.g. <c>&lt;=1ms=99.62%</c>.</summary>
    private static string Within(SortedDictionary<double, double> buckets, double edge)
    {
        var total = PrometheusHistogram.Count(buckets);
        return buckets.TryGetValue(edge, out var under) && total > 0
            ? FormattableString.Invariant($"<={edge * 1000:0.##}ms={under / total * 100:F2}%")
            : "";
    }

    private const string ProcessingName = "extproc_processing_seconds";
}
