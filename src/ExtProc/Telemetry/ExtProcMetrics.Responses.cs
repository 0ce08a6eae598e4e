using System.Diagnostics.Metrics;
using AiSidecar.ExtProc.Responses;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>
/// Usage read from responses: the OpenTelemetry GenAI instruments (semantic conventions, development status: names,
/// attributes and bucket boundaries as the conventions give them), the count check and usage coverage.
/// </summary>
internal sealed partial class ExtProcMetrics
{
    /// <summary>The GenAI instruments' label names (attribute keys; the Prometheus bridge writes their dots as underscores).</summary>
    internal static string[] GenAiLabelNames => ["gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model", "gen_ai.response.model"];

    /// <summary>A response ended: its usage came from a JSON body, an SSE stream, or nowhere.</summary>
    public void UsageResponse(string model, UsageSource source) =>
        _responses.Usage.Add(1, new KeyValuePair<string, object?>("model", model), new("source", source switch
        {
            UsageSource.Json => "json",
            UsageSource.Sse => "sse",
            _ => "none",
        }));

    /// <summary>The model server reported <paramref name="input"/> prompt and <paramref name="output"/> completion tokens.</summary>
    public void GenAiTokens(GenAiLabels labels, long input, long? output)
    {
        _responses.TokenUsage.Record(input, Tags(labels, new("gen_ai.token.type", "input")));
        if (output is { } completion)
        {
            _responses.TokenUsage.Record(completion, Tags(labels, new("gen_ai.token.type", "output")));
        }
    }

    /// <summary>The operation took <paramref name="elapsed"/> (request headers to the response's end); <paramref name="errorType"/> empty when it succeeded.</summary>
    public void GenAiOperation(GenAiLabels labels, TimeSpan elapsed, string errorType) =>
        _responses.OperationDuration.Record(elapsed.TotalSeconds, Tags(labels, new("error.type", errorType)));

    /// <summary>The first content chunk of a stream came <paramref name="elapsed"/> after the request's headers.</summary>
    public void GenAiTimeToFirstToken(GenAiLabels labels, TimeSpan elapsed) =>
        _responses.TimeToFirstToken.Record(elapsed.TotalSeconds, Tags(labels));

    /// <summary>A stream's output tokens after the first came <paramref name="perToken"/> apart on average.</summary>
    public void GenAiTimePerOutputToken(GenAiLabels labels, TimeSpan perToken) =>
        _responses.TimePerOutputToken.Record(perToken.TotalSeconds, Tags(labels));

    /// <summary>The model server's prompt count minus the server's own exact count, for a catalogue model.</summary>
    public void CountChecked(string model, long difference)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        _responses.CountDifference.Record(difference, modelTag);
        _responses.CountChecks.Add(1, modelTag, new("result", difference == 0 ? "exact" : "differs"));
    }

    private static KeyValuePair<string, object?>[] Tags(GenAiLabels labels, KeyValuePair<string, object?>? extra = null)
    {
        var tags = new KeyValuePair<string, object?>[extra is null ? 4 : 5];
        tags[0] = new("gen_ai.operation.name", labels.Operation);
        tags[1] = new("gen_ai.provider.name", labels.Provider);
        tags[2] = new("gen_ai.request.model", labels.RequestModel);
        tags[3] = new("gen_ai.response.model", labels.ResponseModel);
        if (extra is { } last)
        {
            tags[4] = last;
        }

        return tags;
    }

    private sealed class ResponseInstruments(Meter meter)
    {
        public Histogram<long> TokenUsage { get; } = meter.CreateHistogram("gen_ai.client.token.usage", "{token}",
            "Tokens used per operation as the model server reported them, by token type (input, output).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });

        public Histogram<double> OperationDuration { get; } = meter.CreateHistogram("gen_ai.client.operation.duration", "s",
            "Seconds from the request's headers to the response's end; error.type is empty when it succeeded.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });

        public Histogram<double> TimeToFirstToken { get; } = meter.CreateHistogram("gen_ai.server.time_to_first_token", "s",
            "Seconds from the request's headers to a stream's first content chunk.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0] });

        public Histogram<double> TimePerOutputToken { get; } = meter.CreateHistogram("gen_ai.server.time_per_output_token", "s",
            "Seconds per output token after the first in a stream: (last content chunk - first) / (completion tokens - 1).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5] });

        public Histogram<long> CountDifference { get; } = meter.CreateHistogram("extproc.count_check.difference", "{token}",
            "The model server's prompt_tokens minus the server's own exact count, per catalogue model (0 when they agree).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [-1024, -512, -256, -128, -64, -32, -16, -8, -4, -2, -1, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });

        public Counter<long> CountChecks { get; } = meter.CreateCounter<long>("extproc.count_check", "{response}",
            "Responses whose prompt count was checked, per catalogue model and result: exact or differs.");

        public Counter<long> Usage { get; } = meter.CreateCounter<long>("extproc.usage.responses", "{response}",
            "Responses to inference requests read for usage, per catalogue model and where the usage was: json, sse, or none (the response had none).");
    }
}
