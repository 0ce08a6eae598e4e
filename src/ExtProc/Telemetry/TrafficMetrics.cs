using Prometheus;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>Per-variant traffic and config reloads, in the server's registry: what a canary is judged on.</summary>
internal sealed class TrafficMetrics
{
    private static readonly string[] VariantLabels = ["model", "version", "variant"];

    public TrafficMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        VariantRequests = factory.CreateCounter("extproc_variant_requests_total",
            "Requests routed by the model registry, by model, version and variant.", VariantLabels);
        VariantResponses = factory.CreateCounter("extproc_variant_responses_total",
            "Upstream responses to registry-routed requests, by model, version, variant and status class.",
            [.. VariantLabels, "class"]);
        VariantResponseSeconds = factory.CreateHistogram("extproc_variant_response_seconds",
            "Seconds from the request's headers to the upstream response's headers, by model, version and variant.",
            new HistogramConfiguration { LabelNames = VariantLabels, Buckets = Histogram.ExponentialBuckets(0.005, 2, 16) });
        ConfigReloads = factory.CreateCounter("extproc_config_reloads_total",
            "Reloads of the routing config file, by result: success, or failure (invalid config; the last good one stays).",
            "result");
        ConfigGeneration = factory.CreateGauge("extproc_config_generation",
            "Generation of the routing config in use: 1 at start, one more per successful reload.");
    }

    public Counter VariantRequests { get; }

    public Counter VariantResponses { get; }

    public Histogram VariantResponseSeconds { get; }

    public Counter ConfigReloads { get; }

    public Gauge ConfigGeneration { get; }
}
