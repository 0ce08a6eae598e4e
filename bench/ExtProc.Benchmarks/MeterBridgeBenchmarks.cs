using System.Diagnostics.Metrics;
using System.Text;
using AiSidecar.ExtProc.Telemetry;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// Cost of one measurement with one tag, the way the server records its metrics: a prometheus-net collector called
/// directly (today), a <c>System.Diagnostics.Metrics</c> instrument exported by prometheus-net's <c>MeterAdapter</c>,
/// and the same instrument exported by <see cref="PrometheusMeterBridge"/>. Each path's series are checked at setup.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class MeterBridgeBenchmarks : IDisposable
{
    private const string MeterName = "AiSidecar.ExtProc";

    private static readonly KeyValuePair<string, object?> Decision = new("decision", "small");
    private static readonly KeyValuePair<string, object?> Message = new("message", "request_headers");

    private readonly CollectorRegistry _directRegistry = Metrics.NewCustomRegistry();
    private readonly CollectorRegistry _adapterRegistry = Metrics.NewCustomRegistry();
    private readonly CollectorRegistry _bridgeRegistry = Metrics.NewCustomRegistry();
    private readonly ServiceProvider _adapterServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceProvider _bridgeServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private Counter _directCounter = null!;
    private Histogram _directHistogram = null!;
    private IDisposable? _adapter;
    private Counter<long> _adapterCounter = null!;
    private Histogram<double> _adapterHistogram = null!;
    private PrometheusMeterBridge? _bridge;
    private Counter<long> _bridgeCounter = null!;
    private Histogram<double> _bridgeHistogram = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var direct = Metrics.WithCustomRegistry(_directRegistry);
        _directCounter = direct.CreateCounter("extproc_requests_total", "Requests.", "decision");
        _directHistogram = direct.CreateHistogram("extproc_processing_seconds", "Processing.",
            new HistogramConfiguration { LabelNames = ["message"], Buckets = Histogram.ExponentialBuckets(0.000025, 2, 16) });

        var adapterMeter = _adapterServices.GetRequiredService<IMeterFactory>().Create(new MeterOptions(MeterName));
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = _adapterRegistry,
            MetricFactory = Metrics.WithCustomRegistry(_adapterRegistry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, adapterMeter),
        });
        (_adapterCounter, _adapterHistogram) = Instruments(adapterMeter);

        var bridgeFactory = _bridgeServices.GetRequiredService<IMeterFactory>();
        _bridge = new PrometheusMeterBridge(_bridgeRegistry, MeterName, bridgeFactory);
        (_bridgeCounter, _bridgeHistogram) = Instruments(bridgeFactory.Create(new MeterOptions(MeterName)));

        DirectCounter();
        DirectHistogram();
        AdapterCounter();
        AdapterHistogram();
        BridgeCounter();
        BridgeHistogram();
        await Expect(_directRegistry, "extproc_requests_total{decision=\"small\"} 1", "extproc_processing_seconds_count{message=\"request_headers\"} 1");
        await Expect(_adapterRegistry, "aisidecar_extproc_extproc_requests{decision=\"small\"} 1", "aisidecar_extproc_extproc_processing_count{message=\"request_headers\"} 1");
        await Expect(_bridgeRegistry, "extproc_requests_total{decision=\"small\"} 1", "extproc_processing_seconds_count{message=\"request_headers\"} 1");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _adapter?.Dispose();
        _bridge?.Dispose();
        _adapterServices.Dispose();
        _bridgeServices.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Today: the collector's child looked up by label value, then incremented.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Counter")]
    public void DirectCounter() => _directCounter.WithLabels("small").Inc();

    [Benchmark]
    [BenchmarkCategory("Counter")]
    public void AdapterCounter() => _adapterCounter.Add(1, Decision);

    [Benchmark]
    [BenchmarkCategory("Counter")]
    public void BridgeCounter() => _bridgeCounter.Add(1, Decision);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Histogram")]
    public void DirectHistogram() => _directHistogram.WithLabels("request_headers").Observe(0.0003);

    [Benchmark]
    [BenchmarkCategory("Histogram")]
    public void AdapterHistogram() => _adapterHistogram.Record(0.0003, Message);

    [Benchmark]
    [BenchmarkCategory("Histogram")]
    public void BridgeHistogram() => _bridgeHistogram.Record(0.0003, Message);

    private static (Counter<long>, Histogram<double>) Instruments(Meter meter) =>
        (meter.CreateCounter<long>("extproc.requests", null, "Requests."),
         meter.CreateHistogram("extproc.processing", "s", "Processing.", null,
             new InstrumentAdvice<double> { HistogramBucketBoundaries = Histogram.ExponentialBuckets(0.000025, 2, 16) }));

    /// <summary>Fails the run when a path exports nothing: it would measure a no-op.</summary>
    private static async Task Expect(CollectorRegistry registry, params string[] lines)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        if (lines.FirstOrDefault(line => !text.Contains(line + "\n", StringComparison.Ordinal)) is { } missing)
        {
            throw new InvalidOperationException($"Missing '{missing}' in:\n{text}");
        }
    }
}
