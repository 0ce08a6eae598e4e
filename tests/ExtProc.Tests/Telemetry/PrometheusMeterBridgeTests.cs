using System.Diagnostics.Metrics;
using System.Globalization;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;
using static AiSidecar.ExtProc.Tests.Telemetry.BridgedMeter;

namespace AiSidecar.ExtProc.Tests.Telemetry;

public sealed class PrometheusMeterBridgeTests
{
    /// <summary>The processing histogram's edges today (<c>ExtProcMetrics.ProcessingBuckets</c>).</summary>
    private static readonly double[] ProcessingEdges =
        [0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 1];

    [Fact]
    public async Task Counter_OneTag_ExportsCounterWithTotalSuffixAndTagAsLabel()
    {
        using var bridged = new BridgedMeter();
        var requests = bridged.Meter.CreateCounter<long>("extproc.requests", null, "HTTP requests seen, by decision.");

        requests.Add(1, Tag("decision", "small"));
        requests.Add(1, Tag("decision", "small"));
        requests.Add(1, Tag("decision", "passthrough"));

        Assert.Equal(
            [
                "# HELP extproc_requests_total HTTP requests seen, by decision.",
                "# TYPE extproc_requests_total counter",
                "extproc_requests_total{decision=\"small\"} 2",
                "extproc_requests_total{decision=\"passthrough\"} 1",
            ],
            PrometheusText.Family(await bridged.ScrapeAsync(), "extproc_requests_total"));
    }

    [Fact]
    public async Task Histogram_SecondsWithBucketAdvice_ExportsSecondsHistogramWithAdvisedEdges()
    {
        using var bridged = new BridgedMeter();
        var processing = bridged.Meter.CreateHistogram("extproc.processing", "s", "Time to handle one ext_proc message.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = ProcessingEdges });

        processing.Record(0.0003, Tag("message", "request_headers"));

        var text = await bridged.ScrapeAsync();
        var family = PrometheusText.Family(text, "extproc_processing_seconds");
        Assert.Equal("# TYPE extproc_processing_seconds histogram", family[1]);
        Assert.Contains("extproc_processing_seconds_sum{message=\"request_headers\"} 0.0003", family);
        Assert.Contains("extproc_processing_seconds_count{message=\"request_headers\"} 1", family);
        Assert.Equal(
            ["2.5e-05", "5e-05", "0.0001", "0.00025", "0.0005", "0.00075", "0.001", "0.0015", "0.0025", "0.005", "0.0075", "0.01", "0.015", "0.025", "0.05", "0.1", "0.25", "1", "+Inf"],
            PrometheusText.BucketEdges(text, "extproc_processing_seconds", "message=\"request_headers\","));
        Assert.Contains("extproc_processing_seconds_bucket{message=\"request_headers\",le=\"0.0005\"} 1", family);
        Assert.Contains("extproc_processing_seconds_bucket{message=\"request_headers\",le=\"0.00025\"} 0", family);
    }

    [Fact]
    public async Task Histogram_AnnotationUnitNoTags_ExportsUnlabelledHistogramWithoutSuffix()
    {
        using var bridged = new BridgedMeter();
        var tokens = bridged.Meter.CreateHistogram("extproc.prompt_tokens", "{token}", "Prompt tokens of inspected requests.", null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = [.. Histogram.ExponentialBuckets(16, 2, 17).Select(e => (long)e)] });

        tokens.Record(100);

        var text = await bridged.ScrapeAsync();
        Assert.Equal("# TYPE extproc_prompt_tokens histogram", PrometheusText.Family(text, "extproc_prompt_tokens")[1]);
        Assert.Contains("extproc_prompt_tokens_count 1\n", text, StringComparison.Ordinal);
        Assert.Equal(
            ["16", "32", "64", "128", "256", "512", "1024", "2048", "4096", "8192", "16384", "32768", "65536", "131072", "262144", "524288", "1048576", "+Inf"],
            PrometheusText.BucketEdges(text, "extproc_prompt_tokens"));
    }

    [Fact]
    public async Task Histogram_NoBucketAdvice_ExportsDefaultEdges()
    {
        using var bridged = new BridgedMeter();
        var histogram = bridged.Meter.CreateHistogram<double>("extproc.unadvised");

        histogram.Record(3);

        string[] expected = [.. PrometheusMeterBridge.DefaultBuckets.Select(e => e.ToString(CultureInfo.InvariantCulture)), "+Inf"];
        Assert.Equal(expected, PrometheusText.BucketEdges(await bridged.ScrapeAsync(), "extproc_unadvised"));
    }

    [Fact]
    public async Task UpDownCounter_AddAndSubtract_ExportsGaugeAtTheSum()
    {
        using var bridged = new BridgedMeter();
        var streams = bridged.Meter.CreateUpDownCounter<long>("extproc.open_streams", null, "ext_proc streams currently open.");

        streams.Add(1);
        streams.Add(1);
        streams.Add(-1);

        Assert.Equal(
            ["# HELP extproc_open_streams ext_proc streams currently open.", "# TYPE extproc_open_streams gauge", "extproc_open_streams 1"],
            PrometheusText.Family(await bridged.ScrapeAsync(), "extproc_open_streams"));
    }

    [Fact]
    public async Task Gauge_RecordTwice_ExportsGaugeAtTheLastValue()
    {
        using var bridged = new BridgedMeter();
        var generation = bridged.Meter.CreateGauge<long>("extproc.config.generation");
        var loaded = bridged.Meter.CreateGauge<int>("extproc.tokenizer.loaded");

        generation.Record(1);
        generation.Record(3);
        loaded.Record(1, Tag("tokenizer", "qwen3"));
        loaded.Record(0, Tag("tokenizer", "qwen3"));

        var text = await bridged.ScrapeAsync();
        Assert.Equal(["# TYPE extproc_config_generation gauge", "extproc_config_generation 3"], PrometheusText.Family(text, "extproc_config_generation")[1..]);
        Assert.Equal(["# TYPE extproc_tokenizer_loaded gauge", "extproc_tokenizer_loaded{tokenizer=\"qwen3\"} 0"], PrometheusText.Family(text, "extproc_tokenizer_loaded")[1..]);
    }

    [Fact]
    public async Task ObservableGauge_TwoScrapes_ReadsTheCallbackOnEach()
    {
        using var bridged = new BridgedMeter();
        var reads = 0;
        bridged.Meter.CreateObservableGauge("extproc.build_info",
            () => new Measurement<int>(++reads, Tag("version", "1.2.3"), Tag("runtime", ".NET 10.0")), null, "Build of the running server.");

        var first = await bridged.ScrapeAsync();
        var second = await bridged.ScrapeAsync();

        Assert.Equal(
            ["# HELP extproc_build_info Build of the running server.", "# TYPE extproc_build_info gauge", "extproc_build_info{version=\"1.2.3\",runtime=\".NET 10.0\"} 1"],
            PrometheusText.Family(first, "extproc_build_info"));
        Assert.Contains("extproc_build_info{version=\"1.2.3\",runtime=\".NET 10.0\"} 2", PrometheusText.Family(second, "extproc_build_info"));
    }

    [Fact]
    public async Task ObservableCounterAndUpDownCounter_Scrape_ExportCounterTotalAndGauge()
    {
        using var bridged = new BridgedMeter();
        bridged.Meter.CreateObservableCounter("extproc.reads", () => 7L, "{read}");
        bridged.Meter.CreateObservableUpDownCounter("extproc.queue", () => -2, "{item}");

        var text = await bridged.ScrapeAsync();

        Assert.Equal(["# TYPE extproc_reads_total counter", "extproc_reads_total 7"], PrometheusText.Family(text, "extproc_reads_total")[1..]);
        Assert.Equal(["# TYPE extproc_queue gauge", "extproc_queue -2"], PrometheusText.Family(text, "extproc_queue")[1..]);
    }

    [Fact]
    public async Task Record_SameKeysInAnotherOrder_CountsInTheSameSeries()
    {
        using var bridged = new BridgedMeter();
        var requests = bridged.Meter.CreateCounter<long>("extproc.variant.requests");

        requests.Add(1, Tag("model", "qwen3"), Tag("version", "v1"), Tag("variant", "stable"));
        requests.Add(1, Tag("variant", "stable"), Tag("model", "qwen3"), Tag("version", "v1"));

        Assert.Equal(
            ["# TYPE extproc_variant_requests_total counter", "extproc_variant_requests_total{model=\"qwen3\",version=\"v1\",variant=\"stable\"} 2"],
            PrometheusText.Family(await bridged.ScrapeAsync(), "extproc_variant_requests_total")[1..]);
        Assert.Equal(0, bridged.Bridge.DroppedMeasurements);
    }

    [Fact]
    public async Task Record_OtherTagKeys_DropsAndCountsWithoutThrowing()
    {
        using var bridged = new BridgedMeter();
        var errors = bridged.Meter.CreateCounter<long>("extproc.errors");
        errors.Add(1, Tag("kind", "invalid_json"));

        errors.Add(1, Tag("reason", "invalid_json"));
        errors.Add(1);
        errors.Add(1, Tag("kind", "invalid_json"), Tag("model", "qwen3"));
        errors.Add(1, Tag("kind", "a"), Tag("kind", "b"));

        Assert.Equal(4, bridged.Bridge.DroppedMeasurements);
        Assert.Equal(
            ["# TYPE extproc_errors_total counter", "extproc_errors_total{kind=\"invalid_json\"} 1"],
            PrometheusText.Family(await bridged.ScrapeAsync(), "extproc_errors_total")[1..]);
    }

    [Fact]
    public async Task Record_NegativeCounterIncrement_DropsAndCountsWithoutThrowing()
    {
        using var bridged = new BridgedMeter();
        var reloads = bridged.Meter.CreateCounter<int>("extproc.config.reloads");
        reloads.Add(2, Tag("result", "success"));

        reloads.Add(-1, Tag("result", "success"));

        Assert.Equal(1, bridged.Bridge.DroppedMeasurements);
        Assert.Contains("extproc_config_reloads_total{result=\"success\"} 2", PrometheusText.Family(await bridged.ScrapeAsync(), "extproc_config_reloads_total"));
    }

    [Fact]
    public async Task Record_NonStringTagValues_FormatsInvariantly()
    {
        using var bridged = new BridgedMeter();
        var responses = bridged.Meter.CreateCounter<long>("extproc.response_status");

        responses.Add(1, Tag("code", 503), Tag("retried", true), Tag("weight", 0.5), Tag("pool", null));

        Assert.Contains("extproc_response_status_total{code=\"503\",retried=\"true\",weight=\"0.5\",pool=\"\"} 1",
            PrometheusText.Family(await bridged.ScrapeAsync(), "extproc_response_status_total"));
    }

    [Fact]
    public async Task Constructor_DeclaredLabelNames_ExportsTheFamilyBeforeAnyMeasurement()
    {
        using var bridged = new BridgedMeter(new Dictionary<string, string[]> { ["extproc.tokenizer.fallback"] = ["tokenizer"] });
        var fallback = bridged.Meter.CreateCounter<long>("extproc.tokenizer.fallback", null, "Requests counted with the fallback tokenizer.");
        bridged.Meter.CreateCounter<long>("extproc.undeclared");

        var before = await bridged.ScrapeAsync();
        fallback.Add(1, Tag("tokenizer", "llama3"));
        var after = await bridged.ScrapeAsync();

        Assert.Equal(
            ["# HELP extproc_tokenizer_fallback_total Requests counted with the fallback tokenizer.", "# TYPE extproc_tokenizer_fallback_total counter"],
            PrometheusText.Family(before, "extproc_tokenizer_fallback_total"));
        Assert.DoesNotContain("extproc_undeclared", before, StringComparison.Ordinal);
        Assert.Contains("extproc_tokenizer_fallback_total{tokenizer=\"llama3\"} 1", PrometheusText.Family(after, "extproc_tokenizer_fallback_total"));
    }

    [Fact]
    public async Task Record_FirstMeasurementOtherThanDeclared_IsDroppedAndLeavesTheLabels()
    {
        using var bridged = new BridgedMeter(new Dictionary<string, string[]> { ["extproc.tokenizer.load_failures"] = ["tokenizer"] });
        var failures = bridged.Meter.CreateCounter<long>("extproc.tokenizer.load_failures");

        failures.Add(1, Tag("file", "tokenizer.json"));
        failures.Add(1, Tag("tokenizer", "qwen3"));

        Assert.Equal(1, bridged.Bridge.DroppedMeasurements);
        Assert.Equal(
            ["# TYPE extproc_tokenizer_load_failures_total counter", "extproc_tokenizer_load_failures_total{tokenizer=\"qwen3\"} 1"],
            PrometheusText.Family(await bridged.ScrapeAsync(), "extproc_tokenizer_load_failures_total")[1..]);
    }

    [Fact]
    public async Task Constructor_OtherMeterNameOrOtherFactory_ExportsNeither()
    {
        using var bridged = new BridgedMeter();
        using var otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var sameNameOtherFactory = otherServices.GetRequiredService<IMeterFactory>().Create(new MeterOptions(BridgedMeter.MeterName));
        var otherName = bridged.Factory.Create(new MeterOptions("AiSidecar.Other"));

        sameNameOtherFactory.CreateCounter<long>("extproc.foreign").Add(1);
        otherName.CreateCounter<long>("extproc.other").Add(1);
        bridged.Meter.CreateCounter<long>("extproc.own").Add(1);

        var text = await bridged.ScrapeAsync();
        Assert.Contains("extproc_own_total 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("extproc_foreign", text, StringComparison.Ordinal);
        Assert.DoesNotContain("extproc_other", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_ThenRecordAndScrape_KeepsTheLastValuesAndDoesNotThrow()
    {
        using var bridged = new BridgedMeter();
        var requests = bridged.Meter.CreateCounter<long>("extproc.requests");
        var observed = 0;
        bridged.Meter.CreateObservableGauge("extproc.observed", () => ++observed);
        requests.Add(1);
        await bridged.ScrapeAsync();

        bridged.Bridge.Dispose();
        requests.Add(1);
        var text = await bridged.ScrapeAsync();

        Assert.Contains("extproc_requests_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("extproc_observed 1\n", text, StringComparison.Ordinal);
        Assert.Equal(1, observed);
    }

    [Fact]
    public async Task Scrape_ObservableCallbackThrows_ServesTheOtherFamilies()
    {
        using var bridged = new BridgedMeter();
        bridged.Meter.CreateObservableGauge("extproc.broken", new Func<int>(() => throw new InvalidOperationException("broken")));
        bridged.Meter.CreateCounter<long>("extproc.requests").Add(1);

        var text = await bridged.ScrapeAsync();

        Assert.Contains("extproc_requests_total 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("extproc_broken", text, StringComparison.Ordinal);
        Assert.Equal(1, bridged.Bridge.DroppedMeasurements);
    }

    [Fact]
    public async Task AddPrometheusMeterBridge_HostStarted_ExportsTheContainersMeter()
    {
        var registry = Metrics.NewCustomRegistry();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(registry)
            .AddPrometheusMeterBridge(BridgedMeter.MeterName)
            .AddPrometheusMeterBridge(BridgedMeter.MeterName)
            .BuildServiceProvider();
        var hosted = services.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        services.GetRequiredService<IMeterFactory>().Create(new MeterOptions(BridgedMeter.MeterName))
            .CreateCounter<long>("extproc.requests").Add(1, Tag("decision", "small"));

        Assert.Single(hosted);
        Assert.Same(services.GetRequiredService<PrometheusMeterBridge>(), services.GetRequiredService<PrometheusMeterBridge>());
        Assert.Contains("extproc_requests_total{decision=\"small\"} 1", await PrometheusText.ScrapeAsync(registry), StringComparison.Ordinal);
    }
}
