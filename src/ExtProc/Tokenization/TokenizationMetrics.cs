using AiSidecar.ExtProc.Telemetry;
using Prometheus;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Tokenizer health in the server's Prometheus registry.</summary>
internal sealed class TokenizationMetrics
{
    public TokenizationMetrics(ExtProcMetrics? metrics)
    {
        var factory = Metrics.WithCustomRegistry(metrics?.Registry ?? Metrics.NewCustomRegistry());
        Loaded = factory.CreateGauge("extproc_tokenizer_loaded",
            "1 when the tokenizer is loaded, 0 when it failed to load (its models use the fallback).", "tokenizer");
        LoadFailures = factory.CreateCounter("extproc_tokenizer_load_failures_total",
            "Failed loads and reloads of tokenizer files.", "tokenizer");
        Fallbacks = factory.CreateCounter("extproc_tokenizer_fallback_total",
            "Requests counted with the fallback tokenizer because theirs failed to load.", "tokenizer");
    }

    public Gauge Loaded { get; }

    public Counter LoadFailures { get; }

    public Counter Fallbacks { get; }
}
