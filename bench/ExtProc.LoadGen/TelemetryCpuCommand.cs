using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiSidecar.ExtProc.LoadGen.Soak;
using Envoy.Service.ExtProc.V3;
using Grpc.Net.Client;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// <c>telemetry-cpu</c>: the CPU the real server spends on admission telemetry. It starts the server (Release binary,
/// its own process) on the telemetry config (GPU agents to watch, pools with engine endpoints to scrape), reads its
/// CPU time from <c>/proc</c> over a window after a warm-up, and reads from the server's own <c>/metrics</c> that the
/// telemetry was live in the window (agents connected, updates, endpoints up, scrapes by result); after the window one
/// request per check model shows admission deciding on it (its telemetry age). Then the same on the baseline config
/// (the same catalogue, nothing watched or scraped): the idle server's own timers and GC. Exit code 1 when the
/// telemetry was not live (docs/benchmarks.md, "GPU agents and engine scraping together (the real server)";
/// bench/measure-admission-telemetry.sh, which writes both configs and the stand-ins).
/// </summary>
internal static class TelemetryCpuCommand
{
    // The server's series (src/ExtProc/Telemetry/ExtProcMetrics.cs; tests/ExtProc.Tests/Telemetry/metric-families.txt).
    private const string AgentsConnected = "extproc_gpu_agents{state=\"connected\"}";
    private const string Updates = "extproc_gpu_agent_updates_total";
    private const string DevicesHealthy = "extproc_gpu_devices{health=\"healthy\"}";
    private const string Endpoints = "extproc_engine_endpoints";
    private const string Scrapes = "extproc_engine_scrapes_total";
    private const string TelemetryAge = "extproc_admission_telemetry_age_seconds";
    private const string Admissions = "extproc_admissions_total";

    /// <summary>A live run delivers at least this share of the nominal rates (one update or scrape per interval each).</summary>
    private const double LiveShare = 0.9;

    /// <summary>
    /// <c>telemetry-cpu --config FILE --baseline-config FILE [--agents 64] [--endpoints 50] [--interval-ms 250]
    /// [--warmup 20] [--duration 60] [--check-model NAME]...</c>.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string? config = null, baselineConfig = null;
        var (agents, endpoints, intervalMs, warmup, duration) = (64, 50, 250, 20, 60);
        var checkModels = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--config": config = args[++i]; break;
                case "--baseline-config": baselineConfig = args[++i]; break;
                case "--agents": agents = Int(args[++i]); break;
                case "--endpoints": endpoints = Int(args[++i]); break;
                case "--interval-ms": intervalMs = Int(args[++i]); break;
                case "--warmup": warmup = Int(args[++i]); break;
                case "--duration": duration = Int(args[++i]); break;
                case "--check-model": checkModels.Add(args[++i]); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (config is null || baselineConfig is null)
        {
            throw new ArgumentException("--config and --baseline-config are required.");
        }

        var nominal = 1000.0 / intervalMs;
        var output = Console.Out;
        output.WriteLine(FormattableString.Invariant(
            $"telemetry-cpu: {agents} agents and {endpoints} endpoints expected, {intervalMs} ms; warm-up {warmup} s, window {duration} s; nproc {Environment.ProcessorCount}"));

        var telemetry = await MeasureAsync("telemetry", config, warmup, duration, checkModels).ConfigureAwait(false);
        var baseline = await MeasureAsync("baseline", baselineConfig, warmup, duration, []).ConfigureAwait(false);

        var problems = new List<string>();
        var connected = telemetry.End[AgentsConnected];
        var up = telemetry.End.Family(Endpoints).Where(s => s.Series.Contains("state=\"up\"", StringComparison.Ordinal)).Sum(s => s.Value);
        var updatesPerSecond = telemetry.Delta(Updates) / telemetry.Window.TotalSeconds;
        var scrapesPerSecond = telemetry.Scrapes("success") / telemetry.Window.TotalSeconds;
        Require(connected == agents, $"agents connected {connected}/{agents}", problems);
        Require(up == endpoints, $"endpoints up {up}/{endpoints}", problems);
        Require(updatesPerSecond >= LiveShare * nominal * agents, FormattableString.Invariant($"updates/s {updatesPerSecond:0.0} < {LiveShare:P0} of {nominal * agents:0}"), problems);
        Require(scrapesPerSecond >= LiveShare * nominal * endpoints, FormattableString.Invariant($"successful scrapes/s {scrapesPerSecond:0.0} < {LiveShare:P0} of {nominal * endpoints:0}"), problems);
        Require(telemetry.Checks.All(c => c.Outcome == "routed"), "a check request was not routed", problems);
        Require(baseline.Delta(Updates) == 0 && baseline.Scrapes(null) == 0, "the baseline server watched or scraped something", problems);

        var totalPercent = telemetry.CpuPercent;
        var basePercent = baseline.CpuPercent;
        output.WriteLine();
        output.WriteLine("| run | server CPU, % of one core | GPU updates/s | successful scrapes/s |");
        output.WriteLine("|---|---:|---:|---:|");
        output.WriteLine(FormattableString.Invariant($"| telemetry ({agents} agents, {endpoints} endpoints) | {totalPercent:0.00} % | {updatesPerSecond:0.0} | {scrapesPerSecond:0.0} |"));
        output.WriteLine(FormattableString.Invariant($"| baseline (nothing watched or scraped) | {basePercent:0.00} % | 0 | 0 |"));
        output.WriteLine(FormattableString.Invariant($"| telemetry's share (difference) | **{totalPercent - basePercent:0.00} %** | | |"));
        if (problems.Count > 0)
        {
            output.WriteLine($"NOT LIVE: {string.Join("; ", problems)}");
            return 1;
        }

        output.WriteLine("telemetry live throughout: PASS");
        return 0;
    }

    private static async Task<Run> MeasureAsync(string name, string config, int warmup, int duration, IReadOnlyList<string> checkModels)
    {
        var output = Console.Out;
        await using var server = await ServerProcess.StartAsync(["--config", config], TimeSpan.FromSeconds(warmup + duration + 120)).ConfigureAwait(false);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        output.WriteLine(FormattableString.Invariant($"[{name}] server pid {server.Pid}, config {config}; warming up {warmup} s"));
        await Task.Delay(TimeSpan.FromSeconds(warmup)).ConfigureAwait(false);

        // The metrics are read outside the CPU window: the server's work answering them is not counted.
        var start = await ServerScrape.ReadAsync(http, server.MetricsUri, CancellationToken.None).ConfigureAwait(false);
        var cpu0 = new CpuSnapshot(server.Pid);
        var clock = Stopwatch.StartNew();
        var load0 = ServerProcessInfo.LoadAverage();
        await Task.Delay(TimeSpan.FromSeconds(duration)).ConfigureAwait(false);
        var cpu = new CpuSnapshot(server.Pid).Minus(cpu0);
        var window = clock.Elapsed;
        var load1 = ServerProcessInfo.LoadAverage();
        var end = await ServerScrape.ReadAsync(http, server.MetricsUri, CancellationToken.None).ConfigureAwait(false);
        if (server.HasExited || cpu.Server is not { } serverCpu)
        {
            throw new InvalidOperationException($"[{name}] the server exited during the window.");
        }

        var checks = await CheckAsync(server.GrpcUri, checkModels).ConfigureAwait(false);
        var after = checks.Count > 0 ? await ServerScrape.ReadAsync(http, server.MetricsUri, CancellationToken.None).ConfigureAwait(false) : end;
        var run = new Run(start, end, window, serverCpu, checks);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{name}] window {window.TotalSeconds:0.0} s: server CPU {serverCpu.TotalMilliseconds:0} ms = {run.CpuPercent:0.00} % of one core; " +
            $"machine busy {cpu.Machine?.TotalSeconds / window.TotalSeconds:0.00} of {Environment.ProcessorCount} cores " +
            $"(others {cpu.Others?.TotalSeconds / window.TotalSeconds:0.00}); loadavg {load0} -> {load1}"));
        output.WriteLine(FormattableString.Invariant(
            $"[{name}] GPU agents connected {end[AgentsConnected]}, devices healthy {end[DevicesHealthy]}, updates {run.Delta(Updates):0} ({run.Delta(Updates) / window.TotalSeconds:0.0}/s)"));
        output.WriteLine($"[{name}] engine endpoints {Describe(end.Family(Endpoints))}");
        output.WriteLine(FormattableString.Invariant(
            $"[{name}] scrapes in the window: {Describe(ScrapesByResult(start, end).Select(r => (r.Key, r.Value)))} ({run.Scrapes(null) / window.TotalSeconds:0.0}/s)"));
        foreach (var check in checks)
        {
            output.WriteLine($"[{name}] check request for {check.Model}: {check.Outcome}");
        }

        if (checks.Count > 0)
        {
            output.WriteLine($"[{name}] after the checks: {TelemetryAge} {Describe(after.Family(TelemetryAge))}");
            output.WriteLine($"[{name}] after the checks: {Admissions} {Describe(after.Family(Admissions))}");
        }

        return run;
    }

    /// <summary>One chat request per model, as Envoy sends it: <c>routed</c> when admission let it through.</summary>
    private static async Task<IReadOnlyList<(string Model, string Outcome)>> CheckAsync(Uri grpc, IReadOnlyList<string> models)
    {
        if (models.Count == 0)
        {
            return [];
        }

        using var channel = GrpcChannel.ForAddress(grpc);
        var client = new ExternalProcessor.ExternalProcessorClient(channel);
        var results = new List<(string, string)>();
        foreach (var model in models)
        {
            var body = Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[{"role":"user","content":"How loaded is the pool right now?"}]}""");
            results.Add((model, await BurstExchange.RunAsync(client, body, TimeSpan.FromSeconds(5)).ConfigureAwait(false)));
        }

        return results;
    }

    /// <summary>Scrapes between the two reads, by result (<c>success</c>, <c>timeout</c>, …).</summary>
    private static SortedDictionary<string, double> ScrapesByResult(ServerScrape start, ServerScrape end)
    {
        var byResult = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (series, value) in end.Family(Scrapes))
        {
            var result = series[(series.IndexOf("result=\"", StringComparison.Ordinal) + "result=\"".Length)..];
            result = result[..result.IndexOf('"', StringComparison.Ordinal)];
            byResult[result] = byResult.GetValueOrDefault(result) + value - start[series];
        }

        return byResult;
    }

    private static string Describe(IEnumerable<(string Series, double Value)> series)
    {
        var text = string.Join(", ", series.Select(s => FormattableString.Invariant($"{s.Series} {s.Value:0.###}")));
        return text.Length == 0 ? "(none)" : text;
    }

    private static void Require(bool condition, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>One server's window: the scrapes at its edges, its length and the server's CPU time in it.</summary>
    private sealed record Run(ServerScrape Start, ServerScrape End, TimeSpan Window, TimeSpan Cpu, IReadOnlyList<(string Model, string Outcome)> Checks)
    {
        public double CpuPercent => Cpu / Window * 100;

        public double Delta(string series) => End[series] - Start[series];

        /// <summary>Scrapes in the window with <paramref name="result"/>, or all of them.</summary>
        public double Scrapes(string? result) => ScrapesByResult(Start, End).Where(r => result is null || r.Key == result).Sum(r => r.Value);
    }
}
