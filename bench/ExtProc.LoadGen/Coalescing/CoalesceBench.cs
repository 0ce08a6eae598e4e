using System.Globalization;
using AiSidecar.EngineSimulator;
using AiSidecar.ExtProc.LoadGen.Soak;
using Envoy.Service.ExtProc.V3;
using Grpc.Net.Client;
using SimulatedEngine = AiSidecar.EngineSimulator.EngineSimulator;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>
/// One benchmark set-up: the engine simulator in this process, the real server (Release build, its own process) on a
/// config whose pool upstream is the simulator, the ext_proc connections Envoy would hold to the server, and the
/// connection pool Envoy's router would use to the engine.
/// </summary>
internal sealed class CoalesceBench : IAsyncDisposable
{
    private readonly string _directory;
    private readonly GrpcChannel[] _channels;
    private readonly HttpClient _engineHttp;
    /// <summary>Long: a server starved of CPU by thousands of new streams still answers, late.</summary>
    private readonly HttpClient _metricsHttp = new() { Timeout = TimeSpan.FromSeconds(60) };

    private CoalesceBench(SimulatedEngine engine, ServerProcess server, string directory, int connections)
    {
        Engine = engine;
        Server = server;
        _directory = directory;
        _channels = [.. Enumerable.Range(0, connections).Select(_ => GrpcChannel.ForAddress(server.GrpcUri, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // One TCP connection per channel, as Envoy's ext_proc cluster holds few.
                EnableMultipleHttp2Connections = false,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
            MaxReceiveMessageSize = 16 << 20,
        }))];

        // Envoy's router: HTTP/1.1 keep-alive connections to the engine, one per request in flight, at most 1024 (the
        // default max_connections of an Envoy cluster's circuit breaker); more requests wait for a connection.
        _engineHttp = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = 1024,
        })
        {
            BaseAddress = engine.BaseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public SimulatedEngine Engine { get; }

    public ServerProcess Server { get; }

    /// <summary>Starts the simulator in <paramref name="mode"/>, then the server on a config written for it.</summary>
    public static async Task<CoalesceBench> StartAsync(SimulatorMode mode, Func<string, int> countTokens, int connections,
        Func<Uri, string> config)
    {
        var engine = await SimulatedEngine.StartAsync(new SimulatorOptions
        {
            Mode = mode,
            CostModel = CostModel.TeiL4,
            CountTokens = countTokens,
            MaxClientBatch = CoalesceConfig.MaxInputs,
            MaxBatchTokens = CoalesceConfig.MaxTokens,
        }).ConfigureAwait(false);
        var directory = Directory.CreateTempSubdirectory("coalesce-bench-").FullName;
        try
        {
            var path = Path.Combine(directory, "config.yaml");
            await File.WriteAllTextAsync(path, config(engine.BaseAddress)).ConfigureAwait(false);
            var server = await ServerProcess.StartAsync(["--config", path], LoadOptions.MaxRun + TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            return new CoalesceBench(engine, server, directory, connections);
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The exchange of client <paramref name="client"/>: its ext_proc connection, and the engine's pool.</summary>
    public EmbeddingExchange Exchange(int client) =>
        new(new ExternalProcessor.ExternalProcessorClient(_channels[client % _channels.Length]), _engineHttp);

    public async Task<MetricsScrape> ScrapeAsync() =>
        new(await _metricsHttp.GetStringAsync(Server.MetricsUri).ConfigureAwait(false));

    /// <summary>A scrape for a sample, or null when the server does not answer within 2 s.</summary>
    public async Task<MetricsScrape?> TryScrapeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            return new(await _metricsHttp.GetStringAsync(Server.MetricsUri, timeout.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return null;
        }
    }

    public long? RssBytes() => ServerProcessInfo.RssKiB(Server.Pid) * 1024;

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _engineHttp.Dispose();
        _metricsHttp.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
        await Engine.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>One scrape of the server's <c>/metrics</c>: its plain samples and its histograms.</summary>
internal sealed class MetricsScrape(string exposition)
{
    public ServerScrape Plain { get; } = ServerScrape.Parse(exposition);

    public PrometheusHistogram Histogram(string name) => PrometheusHistogram.Parse(exposition, name);

    /// <summary>The sum over every series of <paramref name="name"/> whose labels hold all of <paramref name="labels"/> (<c>reason="held_cap"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        Plain.Family(name).Where(s => labels.All(l => s.Series.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    public static string Label(string name, string value) => string.Create(CultureInfo.InvariantCulture, $"{name}=\"{value}\"");
}
