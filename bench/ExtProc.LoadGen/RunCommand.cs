using System.Diagnostics;
using System.Globalization;
using AiSidecar.ExtProc.Bench;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>The <c>run</c> command: drive a server, sample it, and print the report.</summary>
internal static class RunCommand
{
    private const string ProcessingHistogram = "extproc_processing_seconds";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = LoadOptions.Parse(args);
        var body = ChatBodies.Chat(options.BodyBytes, options.Turns);

        await using var spawned = options.SpawnServer
            ? await ServerProcess.StartAsync(options.ServerArgs, LoadOptions.MaxRun + TimeSpan.FromMinutes(2)).ConfigureAwait(false)
            : null;
        var target = spawned?.GrpcUri ?? options.Target!;
        var metricsUrl = spawned?.MetricsUri ?? options.MetricsUrl;
        var pid = spawned?.Pid ?? (options.ServerPid == 0 ? ServerProcessInfo.FindListener(target.Port) : options.ServerPid);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var report = new RunReport(Console.Out);
        report.Header(options, target, body.Length, pid, metricsUrl);

        using var hardStop = new CancellationTokenSource(LoadOptions.MaxRun + TimeSpan.FromMinutes(1));
        var runner = new LoadRunner(options, target, body);
        var clock = Stopwatch.StartNew();
        var running = runner.RunAsync(hardStop.Token);
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(runner, pid, options.SampleEvery, clock, report, sampling.Token);

        await Task.WhenAny(running, Task.Delay(options.Warmup, CancellationToken.None)).ConfigureAwait(false);
        var before = await ScrapeAsync(http, metricsUrl).ConfigureAwait(false);
        var cpuBefore = new CpuSnapshot(pid);
        var measureStart = clock.Elapsed;
        runner.BeginMeasuring();
        await Task.WhenAny(running, Task.Delay(options.Duration, CancellationToken.None)).ConfigureAwait(false);
        runner.Stop();
        var stats = await running.ConfigureAwait(false);
        var window = clock.Elapsed - measureStart;
        var cpu = new CpuSnapshot(pid).Minus(cpuBefore);
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        var after = await ScrapeAsync(http, metricsUrl).ConfigureAwait(false);

        var serverSide = before is not null && after is not null ? after.Minus(before) : null;
        report.Results(stats, window, serverSide, cpu, options.Rate > 0);
        return stats.Errors == 0 ? 0 : 1;
    }

    private static async Task<PrometheusHistogram?> ScrapeAsync(HttpClient http, Uri? metricsUrl)
    {
        if (metricsUrl is null)
        {
            return null;
        }

        var text = await http.GetStringAsync(metricsUrl).ConfigureAwait(false);
        return PrometheusHistogram.Parse(text, ProcessingHistogram);
    }

    /// <summary>Prints throughput and the server's VmRSS every interval, warm-up included, until cancelled.</summary>
    private static async Task SampleAsync(LoadRunner runner, int? pid, TimeSpan every, Stopwatch clock, RunReport report, CancellationToken cancellation)
    {
        var lastCount = 0L;
        var lastTime = TimeSpan.Zero;
        report.SampleHeader(pid);
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false))
            {
                var now = clock.Elapsed;
                var count = runner.CompletedTotal;
                var rate = (count - lastCount) / (now - lastTime).TotalSeconds;
                report.Sample(now, rate, pid is { } p ? ServerProcessInfo.RssKiB(p) : null);
                lastCount = count;
                lastTime = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Formats a number for the report.</summary>
    public static string F(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);
}
