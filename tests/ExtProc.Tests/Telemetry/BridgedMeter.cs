using System.Diagnostics.Metrics;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace AiSidecar.ExtProc.Tests.Telemetry;

/// <summary>A meter from a real <see cref="IMeterFactory"/>, bridged to a registry of its own.</summary>
internal sealed class BridgedMeter : IDisposable
{
    public const string MeterName = "AiSidecar.ExtProc";

    private readonly ServiceProvider _services;

    public BridgedMeter(IReadOnlyDictionary<string, string[]>? labelNames = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Factory = _services.GetRequiredService<IMeterFactory>();
        Meter = Factory.Create(new MeterOptions(MeterName));
        Bridge = new PrometheusMeterBridge(Registry, MeterName, Factory, labelNames);
    }

    public IMeterFactory Factory { get; }

    public Meter Meter { get; }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public PrometheusMeterBridge Bridge { get; }

    public static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    public Task<string> ScrapeAsync() => PrometheusText.ScrapeAsync(Registry);

    public void Dispose()
    {
        Bridge.Dispose();
        _services.Dispose();
    }
}
