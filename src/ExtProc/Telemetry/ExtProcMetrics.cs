using System.Diagnostics.Metrics;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using Envoy.Service.ExtProc.V3;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>
/// The server's instruments (meter <c>AiSidecar.ExtProc</c>) and the one place that owns their names and label
/// vocabulary: callers record through methods and never pass label strings. Exported on <c>/metrics</c> through
/// prometheus-net (<see cref="PrometheusMeterBridge"/>) under the names listed in docs/configuration.md, and to OTLP
/// when configured.
/// </summary>
internal sealed partial class ExtProcMetrics
{
    /// <summary>The meter's name, for exporters.</summary>
    public const string MeterName = "AiSidecar.ExtProc";

    /// <summary>Each instrument's label names in order, so every family is exported from the start, before its first measurement.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> LabelNames = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["extproc.requests"] = ["decision"],
        ["extproc.prompt_tokens"] = [],
        ["extproc.processing"] = ["message"],
        ["extproc.errors"] = ["kind"],
        ["extproc.open_streams"] = [],
        ["extproc.stream.endings"] = ["ending"],
        ["extproc.response_status"] = ["class"],
        ["extproc.variant.requests"] = ["model", "version", "variant"],
        ["extproc.variant.responses"] = ["model", "version", "variant", "class"],
        ["extproc.variant.response"] = ["model", "version", "variant"],
        ["extproc.experiments.ignored"] = ["model"],
        ["extproc.config.reloads"] = ["result"],
        ["extproc.config.generation"] = [],
        ["extproc.tokenizer.loaded"] = ["tokenizer"],
        ["extproc.tokenizer.load_failures"] = ["tokenizer"],
        ["extproc.tokenizer.fallback"] = ["tokenizer"],
        ["extproc.tokenizer.upper_bounds"] = ["tokenizer"],
        ["extproc.exchange.leases"] = ["kind"],
        ["extproc.body_budget"] = ["state"],
        ["extproc.build_info"] = ["version", "runtime"],

        // Admission.
        ["extproc.admissions"] = ["pool", "priority", "decision", "reason"],
        ["extproc.admission.overflows"] = ["from", "to"],
        ["extproc.admission.telemetry_age"] = ["pool"],
        ["extproc.admission.stale"] = ["pool"],

        // Priority classes and pool circuit breakers.
        ["extproc.priority.requests"] = ["priority", "source"],
        ["extproc.priority.ignored"] = ["reason"],
        ["extproc.breaker.state"] = ["pool"],
        ["extproc.breaker.transitions"] = ["pool", "state"],
        ["extproc.breaker.outcomes"] = ["pool", "outcome"],
        // GPU agents.
        ["extproc.gpu_agents"] = ["state"],
        ["extproc.gpu_agent.updates"] = [],
        ["extproc.gpu_devices"] = ["health"],
        // Engine scraping.
        ["extproc.engine.scrapes"] = ["pool", "result"],
        ["extproc.engine.scrape.duration"] = ["pool"],
        ["extproc.engine.endpoints"] = ["pool", "state"],
        ["extproc.coalesce.requests"] = ["pool", "outcome", "reason"],
        ["extproc.coalesce.batches"] = ["pool", "result"],
        ["extproc.coalesce.batch.requests"] = ["pool"],
        ["extproc.coalesce.batch.inputs"] = ["pool"],
        ["extproc.coalesce.wait"] = ["pool"],
        ["extproc.coalesce.upstream.duration"] = ["pool"],
        ["extproc.coalesce.held"] = [],
        ["extproc.coalesce.held_body"] = [],
        ["extproc.coalesce.breaker.state"] = ["upstream"],

        // Usage from responses (issue 13).
        ["gen_ai.client.token.usage"] = [.. GenAiLabelNames, "gen_ai.token.type"],
        ["gen_ai.client.operation.duration"] = [.. GenAiLabelNames, "error.type"],
        ["gen_ai.server.time_to_first_token"] = GenAiLabelNames,
        ["gen_ai.server.time_per_output_token"] = GenAiLabelNames,
        ["extproc.count_check.difference"] = ["model"],
        ["extproc.count_check"] = ["model", "result"],
        ["extproc.usage.responses"] = ["model", "source"],

        // Response cache (issue 14).
        ["extproc.cache.lookups"] = ["model", "result"],
        ["extproc.cache.writes"] = ["model", "result"],
        ["extproc.cache.bytes"] = ["model", "direction"],
        ["extproc.cache.local_hits"] = ["model"],
    };

    private static readonly double[] ProcessingBuckets =
        [0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 1];

    private readonly Counter<long> _requests;
    private readonly Histogram<int> _promptTokens;
    private readonly Histogram<double> _processing;
    private readonly Counter<long> _errors;
    private readonly UpDownCounter<long> _openStreams;
    private readonly Counter<long> _streamEndings;
    private readonly Counter<long> _responseStatus;
    private readonly Counter<long> _variantRequests;
    private readonly Counter<long> _variantResponses;
    private readonly Histogram<double> _variantResponse;
    private readonly Counter<long> _experimentsIgnored;
    private readonly Counter<long> _configReloads;
    private readonly Gauge<int> _configGeneration;
    private readonly Gauge<int> _tokenizerLoaded;
    private readonly Counter<long> _tokenizerLoadFailures;
    private readonly Counter<long> _tokenizerFallbacks;
    private readonly Counter<long> _tokenizerUpperBounds;
    private readonly UpDownCounter<long> _leases;
    private readonly UpDownCounter<long> _bodyBudget;

    private readonly AdmissionInstruments _admission;
    private readonly CoalescingInstruments _coalescing;
    private readonly ResponseInstruments _responses;
    private readonly BudgetInstruments _budgets;
    private readonly CacheInstruments _cache;

    /// <param name="meters">Creates the meter.</param>
    /// <param name="exporter">Taken so that it listens before the first measurement (none is lost at start).</param>
    public ExtProcMetrics(IMeterFactory meters, PrometheusMeterBridge exporter)
    {
        _ = exporter;
        var meter = meters.Create(new MeterOptions(MeterName) { Version = BuildInfo.Version });
        _requests = meter.CreateCounter<long>("extproc.requests", "{request}",
            "HTTP requests seen, by decision: a token range's name, passthrough, rejected, responded, observed or unrouted.");
        _promptTokens = meter.CreateHistogram("extproc.prompt_tokens", "{token}", "Prompt tokens of inspected requests.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [.. Enumerable.Range(0, 17).Select(i => 16 << i)] });
        _processing = meter.CreateHistogram("extproc.processing", "s", "Server-side time to handle one ext_proc message, by message kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ProcessingBuckets });
        _errors = meter.CreateCounter<long>("extproc.errors", "{request}",
            "Requests answered with an error, by kind (invalid_json, body_too_large, model_not_found, internal…).");
        _openStreams = meter.CreateUpDownCounter<long>("extproc.open_streams", "{stream}", "ext_proc streams currently open.");
        _streamEndings = meter.CreateCounter<long>("extproc.stream.endings", "{stream}",
            "ext_proc streams ended, by how: completed, answered (locally), reset (mid-message), shutdown, idle, failed (a gRPC error).");
        _responseStatus = meter.CreateCounter<long>("extproc.response_status", "{response}", "Upstream response status classes seen in the response phase.");
        _variantRequests = meter.CreateCounter<long>("extproc.variant.requests", "{request}",
            "Requests routed to a model version, by model, version and variant.");
        _variantResponses = meter.CreateCounter<long>("extproc.variant.responses", "{response}",
            "Upstream responses to requests routed to a model version, by model, version, variant and status class.");
        _variantResponse = meter.CreateHistogram("extproc.variant.response", "s",
            "Seconds from the request's headers to the upstream response's headers, by model, version and variant.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [.. Enumerable.Range(0, 16).Select(i => 0.005 * Math.Pow(2, i))] });
        _experimentsIgnored = meter.CreateCounter<long>("extproc.experiments.ignored", "{request}",
            "Requests whose experiment header names no experiment open for their model (ignored: routed as if absent), by catalogue model.");
        _configReloads = meter.CreateCounter<long>("extproc.config.reloads", "{reload}",
            "Reloads of the config file, by result: success, or failure (invalid config; the last good one stays).");
        _configGeneration = meter.CreateGauge<int>("extproc.config.generation", "{generation}",
            "Generation of the config in use: 1 at start, one more per successful reload.");
        _tokenizerLoaded = meter.CreateGauge<int>("extproc.tokenizer.loaded", "1",
            "1 when the tokenizer is loaded, 0 when it failed to load (its models use the fallback).");
        _tokenizerLoadFailures = meter.CreateCounter<long>("extproc.tokenizer.load_failures", "{failure}", "Failed loads and reloads of tokenizer files.");
        _tokenizerFallbacks = meter.CreateCounter<long>("extproc.tokenizer.fallback", "{request}",
            "Requests counted with the fallback tokenizer because theirs failed to load.");
        _tokenizerUpperBounds = meter.CreateCounter<long>("extproc.tokenizer.upper_bounds", "{request}",
            "Requests whose prompt count is an upper bound, not exact: a pre-token was longer than tokenization.maxMergeBytes.");
        _leases = meter.CreateUpDownCounter<long>("extproc.exchange.leases", "{lease}",
            "Leases exchanges hold (queue slots, budget reservations, batch memberships), by kind; back to 0 when idle.");
        _bodyBudget = meter.CreateUpDownCounter<long>("extproc.body_budget", "By",
            "Bytes of large request bodies in the stages (in_flight) and waiting for room (queued): memory.bodyBytesInFlight and memory.queuedBodyBytes.");

        _admission = new AdmissionInstruments(meter);
        _coalescing = new CoalescingInstruments(meter);
        _responses = new ResponseInstruments(meter);
        _budgets = new BudgetInstruments(meter);
        _cache = new CacheInstruments(meter);

        meter.CreateObservableGauge("extproc.build_info", static () => new Measurement<int>(1, BuildInfo.Tags), "1",
            "Always 1; the labels name the server's version and .NET runtime.");
    }

    public void StreamOpened() => _openStreams.Add(1);

    public void StreamClosed() => _openStreams.Add(-1);

    /// <summary>A stream's exchange ended, however it ended (resets are counted here rather than logged one by one).</summary>
    public void StreamEnded(ExchangeEnding ending) => _streamEndings.Add(1, new KeyValuePair<string, object?>("ending", EndingLabel(ending)));

    public void MessageHandled(ProcessingRequest.RequestOneofCase message, TimeSpan elapsed) =>
        _processing.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("message", MessageLabel(message)));

    /// <summary>A request that took no decision path: passthrough (not inference) or unrouted (no body sent).</summary>
    public void Request(RequestDecision decision) => _requests.Add(1, new KeyValuePair<string, object?>("decision", DecisionLabel(decision)));

    /// <summary>A request the stages decided; <paramref name="applied"/> is false when it could only be observed.</summary>
    public void Decided(RoutingDecision decision, bool applied)
    {
        _promptTokens.Record(decision.PromptTokens);
        _requests.Add(1, new KeyValuePair<string, object?>("decision", applied ? decision.TokenRange : "observed"));
        if (applied && decision.Version is { } version)
        {
            _variantRequests.Add(1, VariantTags(decision.Model, version, decision.Variant));
        }
    }

    /// <summary>A request the server answered itself: an error (counted by kind) or a stage's local response.</summary>
    public void Answered(LocalResponse response)
    {
        if (response.Error is { } error)
        {
            _requests.Add(1, new KeyValuePair<string, object?>("decision", "rejected"));
            _errors.Add(1, new KeyValuePair<string, object?>("kind", error.Kind));
        }
        else
        {
            _requests.Add(1, new KeyValuePair<string, object?>("decision", "responded"));
        }
    }

    /// <summary>An upstream response's headers; with a version decision, the per-variant outcome and latency too.</summary>
    public void Responded(int? status, RoutingDecision? decision, TimeSpan sinceRequest)
    {
        var statusClass = StatusClass(status);
        _responseStatus.Add(1, new KeyValuePair<string, object?>("class", statusClass));
        if (decision?.Version is { } version)
        {
            var tags = VariantTags(decision.Model, version, decision.Variant);
            _variantResponses.Add(1, [.. tags, new("class", statusClass)]);
            _variantResponse.Record(sinceRequest.TotalSeconds, tags);
        }
    }

    /// <summary>
    /// An experiment header value the model does not list, ignored. Labelled with the catalogue model's name (empty
    /// outside the catalogue), never the client's value, so the series stay as few as the catalogue's models.
    /// </summary>
    public void ExperimentIgnored(string? model) => _experimentsIgnored.Add(1, new KeyValuePair<string, object?>("model", model ?? ""));

    public void ConfigReloaded(bool success) => _configReloads.Add(1, new KeyValuePair<string, object?>("result", success ? "success" : "failure"));

    public void ConfigGeneration(int generation) => _configGeneration.Record(generation);

    public void TokenizerLoaded(string tokenizer, bool loaded) => _tokenizerLoaded.Record(loaded ? 1 : 0, new KeyValuePair<string, object?>("tokenizer", tokenizer));

    public void TokenizerLoadFailed(string tokenizer) => _tokenizerLoadFailures.Add(1, new KeyValuePair<string, object?>("tokenizer", tokenizer));

    public void TokenizerFallback(string tokenizer) => _tokenizerFallbacks.Add(1, new KeyValuePair<string, object?>("tokenizer", tokenizer));

    public void TokenizerUpperBound(string tokenizer) => _tokenizerUpperBounds.Add(1, new KeyValuePair<string, object?>("tokenizer", tokenizer));

    public void LeaseTaken(string kind) => _leases.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void LeaseReleased(string kind) => _leases.Add(-1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Bytes of large bodies let into the stages (negative when given back).</summary>
    public void BodyBytesInFlight(long delta) => _bodyBudget.Add(delta, new KeyValuePair<string, object?>("state", "in_flight"));

    /// <summary>Bytes of large bodies waiting for room (negative when they leave the line).</summary>
    public void BodyBytesQueued(long delta) => _bodyBudget.Add(delta, new KeyValuePair<string, object?>("state", "queued"));

    private static KeyValuePair<string, object?>[] VariantTags(string? model, string version, string? variant) =>
        [new("model", model ?? ""), new("version", version), new("variant", variant ?? "")];

    private static string StatusClass(int? status) => status switch
    {
        >= 100 and < 200 => "1xx",
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        >= 500 and < 600 => "5xx",
        _ => "other",
    };

    private static string DecisionLabel(RequestDecision decision) => decision switch
    {
        RequestDecision.Passthrough => "passthrough",
        _ => "unrouted",
    };

    private static string EndingLabel(ExchangeEnding ending) => ending switch
    {
        ExchangeEnding.Completed => "completed",
        ExchangeEnding.Answered => "answered",
        ExchangeEnding.Reset => "reset",
        ExchangeEnding.Shutdown => "shutdown",
        ExchangeEnding.Idle => "idle",
        _ => "failed",
    };

    private static string MessageLabel(ProcessingRequest.RequestOneofCase kind) => kind switch
    {
        ProcessingRequest.RequestOneofCase.RequestHeaders => "request_headers",
        ProcessingRequest.RequestOneofCase.RequestBody => "request_body",
        ProcessingRequest.RequestOneofCase.RequestTrailers => "request_trailers",
        ProcessingRequest.RequestOneofCase.ResponseHeaders => "response_headers",
        ProcessingRequest.RequestOneofCase.ResponseBody => "response_body",
        ProcessingRequest.RequestOneofCase.ResponseTrailers => "response_trailers",
        _ => "unknown",
    };
}
