using System.Diagnostics;
using Envoy.Service.ExtProc.V3;
using Grpc.Net.Client;

namespace AiSidecar.ExtProc.LoadGen.Soak;

/// <summary>
/// The <c>soak</c> command: the real server on a config file, N streams of mixed traffic (some reset part-way) for a
/// duration while the config file is rewritten with a real change every interval; the server's RSS and gauges are
/// sampled throughout. Exit code 0 only when every exchange got its expected answer, every rewrite was applied, no
/// reload failed, the server counted no internal error and its open streams went back to 0.
/// </summary>
internal static class SoakCommand
{
    // The server's series the soak reads (src/ExtProc/Telemetry/ExtProcMetrics.cs).
    internal const string Reloaded = "extproc_config_reloads_total{result=\"success\"}";
    internal const string ReloadFailed = "extproc_config_reloads_total{result=\"failure\"}";
    internal const string OpenStreams = "extproc_open_streams";
    internal const string Generation = "extproc_config_generation";
    internal const string InternalErrors = "extproc_errors_total{kind=\"internal\"}";

    /// <summary>The last rewrite comes at least this long before the end, so the server has checked the file since.</summary>
    private static readonly TimeSpan LastRewriteMargin = TimeSpan.FromSeconds(5);

    /// <summary>How long open streams may take to go back to 0 once the traffic stopped.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = SoakOptions.Parse(args);
        var work = options.WorkDirectory ?? Directory.CreateTempSubdirectory("extproc-soak-").FullName;
        Directory.CreateDirectory(work);
        var configPath = Path.Combine(work, "config.yaml");
        SoakConfig.Write(configPath, SoakConfig.Yaml(0, options.Streams));
        var traffic = SoakTraffic.Build();
        var output = Console.Out;

        await using var server = await ServerProcess.StartAsync(["--config", configPath], options.Duration + TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var report = new SoakReport(output, options);
        report.Header(server.Pid, configPath, traffic);
        var first = await ServerScrape.ReadAsync(http, server.MetricsUri, CancellationToken.None).ConfigureAwait(false);

        var stats = new SoakStats();
        var clock = Stopwatch.StartNew();
        using var finish = new CancellationTokenSource();
        using var hardStop = new CancellationTokenSource(options.Duration + TimeSpan.FromMinutes(3));
        var channels = Enumerable.Range(0, options.Connections).Select(_ => Channel(server.GrpcUri)).ToArray();
        try
        {
            var workers = Enumerable.Range(0, options.Streams)
                .Select(i => Task.Run(() => WorkerAsync(new ExternalProcessor.ExternalProcessorClient(channels[i % channels.Length]), traffic, options, new Random(HashCode.Combine(options.Seed, i)), stats, finish.Token, hardStop.Token), CancellationToken.None))
                .ToArray();
            using var sampling = new CancellationTokenSource();
            var sampler = SampleAsync(http, server, stats, clock, report, options.SampleEvery, sampling.Token);

            var rewrites = await RewriteAsync(configPath, options, clock, report).ConfigureAwait(false);
            await DelayUntilAsync(clock, options.Duration).ConfigureAwait(false);
            await finish.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(workers).ConfigureAwait(false);
            var trafficTime = clock.Elapsed;

            var last = await SettleAsync(http, server.MetricsUri).ConfigureAwait(false);
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);

            var ok = report.Results(stats, trafficTime, rewrites, first, last);
            return ok ? 0 : 1;
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static GrpcChannel Channel(Uri target) => GrpcChannel.ForAddress(target, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // One TCP connection per channel, like an Envoy cluster with few connections.
            EnableMultipleHttp2Connections = false,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        },
        MaxReceiveMessageSize = 16 << 20,
    });

    /// <summary>One stream slot: exchanges back to back, each a kind drawn from the mix, some reset part-way.</summary>
    private static async Task WorkerAsync(
        ExternalProcessor.ExternalProcessorClient client,
        IReadOnlyList<(SoakRequest Request, int Weight)> traffic,
        SoakOptions options,
        Random random,
        SoakStats stats,
        CancellationToken finish,
        CancellationToken hardStop)
    {
        var total = traffic.Sum(t => t.Weight);
        while (!finish.IsCancellationRequested && !hardStop.IsCancellationRequested)
        {
            var pick = random.Next(total);
            var request = traffic.First(t => (pick -= t.Weight) < 0).Request;
            var cancel = random.NextDouble() < options.CancelShare ? (CancelPoint)random.Next(1, 4) : CancelPoint.None;
            if (cancel == CancelPoint.BeforeResponse && request.Pool is null)
            {
                cancel = CancelPoint.AfterBody; // A local reply ends the exchange at the body.
            }

            var error = await SoakExchange.RunAsync(client, request, cancel, options.ExchangeTimeout, hardStop).ConfigureAwait(false);
            stats.Record(request.Kind, cancel != CancelPoint.None, error);
        }
    }

    /// <summary>Rewrites the config file with the other variant at every interval; returns how many rewrites it made.</summary>
    private static async Task<int> RewriteAsync(string configPath, SoakOptions options, Stopwatch clock, SoakReport report)
    {
        var rewrites = 0;
        for (var at = options.ReloadEvery; at <= options.Duration - LastRewriteMargin; at += options.ReloadEvery)
        {
            await DelayUntilAsync(clock, at).ConfigureAwait(false);
            rewrites++;
            SoakConfig.Write(configPath, SoakConfig.Yaml(rewrites % 2, options.Streams));
            report.Rewrite(clock.Elapsed, rewrites % 2);
        }

        return rewrites;
    }

    /// <summary>Samples the server every interval until cancelled.</summary>
    private static async Task SampleAsync(HttpClient http, ServerProcess server, SoakStats stats, Stopwatch clock, SoakReport report, TimeSpan every, CancellationToken cancellation)
    {
        var lastCount = 0L;
        var lastTime = TimeSpan.Zero;
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false))
            {
                var scrape = await ServerScrape.ReadAsync(http, server.MetricsUri, cancellation).ConfigureAwait(false);
                var now = clock.Elapsed;
                var count = stats.Total;
                report.Sample(new SoakSample(now, (count - lastCount) / (now - lastTime).TotalSeconds, ServerProcessInfo.RssKiB(server.Pid),
                    scrape[OpenStreams], scrape[Generation], stats.Errors));
                (lastCount, lastTime) = (count, now);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Once the traffic stopped: scrapes until the server's open streams are back to 0 (or the timeout passes).</summary>
    private static async Task<ServerScrape> SettleAsync(HttpClient http, Uri metrics)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var scrape = await ServerScrape.ReadAsync(http, metrics, CancellationToken.None).ConfigureAwait(false);
            if (scrape[OpenStreams] == 0 || waited.Elapsed > SettleTimeout)
            {
                return scrape;
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    private static Task DelayUntilAsync(Stopwatch clock, TimeSpan at) =>
        at > clock.Elapsed ? Task.Delay(at - clock.Elapsed) : Task.CompletedTask;
}

/// <summary>One sample: time since the start, exchanges per second since the last sample, the server's VmRSS and gauges.</summary>
internal sealed record SoakSample(TimeSpan At, double Rate, long? RssKiB, double OpenStreams, double Generation, long Errors);
