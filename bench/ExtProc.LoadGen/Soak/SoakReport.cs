namespace AiSidecar.ExtProc.LoadGen.Soak;

/// <summary>Prints the soak's settings, its samples as they come, and the verdict.</summary>
internal sealed class SoakReport(TextWriter output, SoakOptions options)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly List<SoakSample> _samples = [];

    public void Header(int serverPid, string configPath, IReadOnlyList<(SoakRequest Request, int Weight)> traffic)
    {
        var total = traffic.Sum(t => t.Weight);
        var mix = traffic.GroupBy(t => t.Request.Kind).Select(g => FormattableString.Invariant($"{g.Key}={g.Sum(t => t.Weight) * 100.0 / total:F0}%"));
        output.WriteLine(FormattableString.Invariant(
            $"soak streams={options.Streams} connections={options.Connections} duration={options.Duration.TotalSeconds:F0}s cancel={options.CancelShare * 100:F1}% reload-every={options.ReloadEvery.TotalSeconds:F0}s seed={options.Seed}"));
        output.WriteLine($"mix: {string.Join(' ', mix)}");
        output.WriteLine(FormattableString.Invariant(
            $"server pid={serverPid} config={configPath} loadavg(start)={ServerProcessInfo.LoadAverage()} cpus={Environment.ProcessorCount}"));
        output.WriteLine("t(s)  exchanges/s  VmRSS(MiB)  open_streams  generation  errors");
    }

    public void Rewrite(TimeSpan at, int variant) =>
        output.WriteLine(FormattableString.Invariant($"{at.TotalSeconds,5:F0}  config rewritten (variant {variant})"));

    public void Sample(SoakSample sample)
    {
        _samples.Add(sample);
        output.WriteLine(FormattableString.Invariant(
            $"{sample.At.TotalSeconds,5:F0}  {sample.Rate,11:F0}  {(sample.RssKiB is { } k ? k / 1024.0 : double.NaN),10:F1}  {sample.OpenStreams,12:F0}  {sample.Generation,10:F0}  {sample.Errors,6}"));
    }

    /// <summary>Prints the results; true when the soak passed.</summary>
    public bool Results(SoakStats stats, TimeSpan trafficTime, int rewrites, ServerScrape first, ServerScrape last)
    {
        var applied = last[SoakCommand.Reloaded] - first[SoakCommand.Reloaded];
        var failed = last[SoakCommand.ReloadFailed] - first[SoakCommand.ReloadFailed];
        var internalErrors = last[SoakCommand.InternalErrors] - first[SoakCommand.InternalErrors];
        var openStreams = last[SoakCommand.OpenStreams];
        var errors = stats.Errors;

        output.WriteLine();
        output.WriteLine(FormattableString.Invariant(
            $"RESULT exchanges={stats.Total} ({stats.Total / trafficTime.TotalSeconds:F0}/s over {trafficTime.TotalSeconds:F0}s) errors={errors} cancelled={stats.Cancelled} reloads={applied:F0}/{rewrites} reload_failures={failed:F0} internal_errors={internalErrors:F0} open_streams_end={openStreams:F0} loadavg(end)={ServerProcessInfo.LoadAverage()}"));
        output.WriteLine("exchanges by kind: " + string.Join(' ', stats.Exchanges().Select(e => FormattableString.Invariant($"{e.Key}={e.Value}"))));
        output.WriteLine(errors == 0 ? "errors by kind: none" : "errors by kind: " + string.Join(' ', stats.ErrorKinds().Select(e => FormattableString.Invariant($"{e.Key}={e.Value}"))));
        output.WriteLine("server decisions: " + string.Join(' ', Delta(first, last, "extproc_requests_total")));
        output.WriteLine("server errors: " + string.Join(' ', Delta(first, last, "extproc_errors_total")));
        Memory();

        var passed = errors == 0 && applied == rewrites && failed == 0 && internalErrors == 0 && openStreams == 0;
        output.WriteLine(passed ? "PASS" : "FAIL");
        return passed;
    }

    /// <summary>VmRSS over the first and the last minute and overall (the server exports no GC heap gauge; RSS is read from /proc).</summary>
    private void Memory()
    {
        var rss = _samples.Where(s => s.RssKiB is not null).ToList();
        if (rss.Count == 0)
        {
            output.WriteLine("server VmRSS: not readable");
            return;
        }

        var end = rss[^1].At;
        output.WriteLine(FormattableString.Invariant(
            $"server VmRSS MiB: first minute {Span(rss.Where(s => s.At <= Minute))}; last minute {Span(rss.Where(s => s.At > end - Minute))}; overall max={rss.Max(s => s.RssKiB!.Value) / 1024.0:F1} (samples={rss.Count})"));
    }

    private static string Span(IEnumerable<SoakSample> samples)
    {
        var kib = samples.Select(s => s.RssKiB!.Value / 1024.0).ToList();
        return kib.Count == 0 ? "n/a" : FormattableString.Invariant($"avg={kib.Average():F1} max={kib.Max():F1}");
    }

    /// <summary>The family's series that changed between the scrapes, with the change.</summary>
    private static IEnumerable<string> Delta(ServerScrape first, ServerScrape last, string family) =>
        last.Family(family)
            .Select(s => (s.Series, Change: s.Value - first[s.Series]))
            .Where(s => s.Change != 0)
            .Select(s => FormattableString.Invariant($"{s.Series[family.Length..]}={s.Change:F0}"));
}
