using Prometheus;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>The server's Prometheus metrics, in a registry of its own (served on the HTTP port at <c>/metrics</c>).</summary>
public sealed class ExtProcMetrics
{
    /// <summary>Creates the metrics in <paramref name="registry"/>.</summary>
    public ExtProcMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        Requests = factory.CreateCounter("extproc_requests_total",
            "HTTP requests seen, by decision: a token range's name, passthrough, rejected or unrouted.",
            "decision");
        PromptTokens = factory.CreateHistogram("extproc_prompt_tokens",
            "Prompt tokens of inspected requests.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(16, 2, 17) });
        ProcessingSeconds = factory.CreateHistogram("extproc_processing_seconds",
            "Server-side time to handle one ext_proc message, by message kind.",
            new HistogramConfiguration { LabelNames = ["message"], Buckets = ProcessingBuckets });
        Errors = factory.CreateCounter("extproc_errors_total",
            "Requests answered with an error, by kind (invalid_json, body_too_large, model_not_found, internal…).",
            "kind");
        OpenStreams = factory.CreateGauge("extproc_open_streams", "ext_proc streams currently open.");
        ResponseStatus = factory.CreateCounter("extproc_response_status_total",
            "Upstream response status classes seen in the response phase.",
            "class");
    }

    /// <summary>The registry holding these metrics.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Requests by decision.</summary>
    public Counter Requests { get; }

    /// <summary>Prompt token histogram.</summary>
    public Histogram PromptTokens { get; }

    /// <summary>Per-message processing time.</summary>
    public Histogram ProcessingSeconds { get; }

    /// <summary>Edges at the latency targets (1 ms per message, 10 ms for a 256 KB prompt), so their share is read exactly.</summary>
    private static double[] ProcessingBuckets =>
        [0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 1];

    /// <summary>Errors by kind.</summary>
    public Counter Errors { get; }

    /// <summary>Open ext_proc streams.</summary>
    public Gauge OpenStreams { get; }

    /// <summary>Response status classes (1xx…5xx).</summary>
    public Counter ResponseStatus { get; }
}
