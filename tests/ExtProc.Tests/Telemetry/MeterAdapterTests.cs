using System.Diagnostics.Metrics;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace AiSidecar.ExtProc.Tests.Telemetry;

/// <summary>
/// What prometheus-net's own <see cref="MeterAdapter"/> makes of our instruments: the evidence that it cannot keep
/// today's names and types, hence <see cref="ExtProc.Telemetry.PrometheusMeterBridge"/>.
/// </summary>
public sealed class MeterAdapterTests
{
    [Fact]
    public async Task StartListening_CounterOfLong_ExportsGaugePrefixedWithTheMeterName()
    {
        var registry = Metrics.NewCustomRegistry();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meter = services.GetRequiredService<IMeterFactory>().Create(new MeterOptions("AiSidecar.ExtProc"));
        using var adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry,
            // Without it the adapter's series land in the default registry, whatever Registry says.
            MetricFactory = Metrics.WithCustomRegistry(registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, meter),
        });
        var requests = meter.CreateCounter<long>("extproc.requests", null, "HTTP requests seen, by decision.");

        requests.Add(1, new KeyValuePair<string, object?>("decision", "small"));

        var text = await PrometheusText.ScrapeAsync(registry);
        Assert.Equal(
            [
                "# HELP aisidecar_extproc_extproc_requests HTTP requests seen, by decision. (Counter`1)",
                "# TYPE aisidecar_extproc_extproc_requests gauge",
                "aisidecar_extproc_extproc_requests{decision=\"small\"} 1",
            ],
            PrometheusText.Family(text, "aisidecar_extproc_extproc_requests"));
        Assert.DoesNotContain("extproc_requests_total", text, StringComparison.Ordinal);
    }
}
