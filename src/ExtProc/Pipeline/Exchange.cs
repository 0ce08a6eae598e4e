using System.Diagnostics;
using AiSidecar.ExtProc.Admission.Breaker;
using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>
/// Everything about one HTTP request, for one ext_proc stream: its head and body, the routing table it started with,
/// what each stage found (the parsed request, the model and version, the token count, the decision), timings, the
/// trace span, the response, and the leases stages took. Once the request is decided (or answered), the body and
/// what was parsed from it are dropped (<see cref="ReleaseRequestAsync"/>), so a long response does not keep them.
/// Disposed exactly once when the stream ends, however it ends: every lease is released then.
/// </summary>
internal sealed partial class Exchange : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ExtProcMetrics _metrics;
    private readonly ILogger _logger;
    private Struct? _metadata;

    public Exchange(RoutingTable table, RequestHead head, ExchangeServices services, CancellationToken aborted)
    {
        Table = table;
        Head = head;
        _time = services.Time;
        _metrics = services.Metrics;
        _logger = services.Logger;
        Aborted = aborted;
        StartedAt = _time.GetTimestamp();
    }

    /// <summary>The routing table (header names, catalogue, ranges) the request started with; kept across reloads.</summary>
    public RoutingTable Table { get; }

    /// <summary>The request's method, path, length and the headers decisions read.</summary>
    public RequestHead Head { get; }

    /// <summary>The API the request's path called.</summary>
    public ApiKind Api { get; set; }

    /// <summary>The complete request body as the client sent it; empty once the request is released.</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>Fires when the stream ends before the exchange does (Envoy reset, client gone, server shutdown).</summary>
    public CancellationToken Aborted { get; }

    /// <summary>When the request headers arrived (a <see cref="TimeProvider"/> timestamp).</summary>
    public long StartedAt { get; }

    /// <summary>When the server must have answered the message it holds (a <see cref="TimeProvider"/> timestamp).</summary>
    public long Deadline { get; private set; } = long.MaxValue;

    /// <summary>
    /// True for a request the server makes itself (the warm-up before readiness): stages that keep state about real
    /// traffic (admission's load, breakers, durations, metrics) let it pass without recording anything.
    /// </summary>
    public bool Synthetic { get; init; }

    /// <summary>
    /// True when the request's headers went upstream before the stages ran (STREAMED, a body longer than the first
    /// message said) or Envoy ignores the answers (observability mode): a stage may still refuse the request, but must
    /// not answer it in the upstream's place.
    /// </summary>
    public bool Observed { get; internal set; }

    /// <summary>The trace span of the exchange; null when nobody listens.</summary>
    public Activity? Span { get; set; }

    /// <summary>
    /// The span of the request stage now running, when it has one (<see cref="ExtProcTelemetry.StartStage"/>, or the
    /// pipeline's for a stage that held); the pipeline ends it when the stage is done.
    /// </summary>
    public Activity? StageSpan { get; set; }

    /// <summary>The request as the client sent it (inspection); null once the request is released.</summary>
    public InferenceRequest? Request { get; set; }

    /// <summary>The catalogue model the request resolved to; null for a model outside the catalogue.</summary>
    public CatalogModel? Model { get; set; }

    /// <summary>True when a <c>/v1/completions</c> request is converted to a chat request.</summary>
    public bool ConvertToChat { get; set; }

    /// <summary>The version chosen and how; null for a model without versions.</summary>
    public VersionChoice? Choice { get; set; }

    /// <summary>The request as the chosen server reads it (served name, chat conversion): what is counted. Null once released.</summary>
    public InferenceRequest? UpstreamRequest { get; set; }

    /// <summary>A new request body to forward instead of the client's.</summary>
    public ReadOnlyMemory<byte>? ReplacementBody { get; set; }

    /// <summary>The new <c>:path</c> when the request was converted to another API.</summary>
    public string? RewrittenPath { get; set; }

    /// <summary>The prompt's token count.</summary>
    public int? PromptTokens { get; set; }

    /// <summary>
    /// False when <see cref="PromptTokens"/> is an upper bound rather than the exact count: a pre-token was longer than
    /// the merge budget allows (docs/tokenization.md). The bound is never below the exact count, so ranges and budgets
    /// stay safe.
    /// </summary>
    public bool PromptTokensExact { get; set; } = true;

    /// <summary>
    /// The completion tokens the request may use as it asks (budgets reserve them): 0 for embeddings and rerank, else
    /// its <c>max_tokens</c> (the upstream request's, after a rewrite); null when it sets none, or once released.
    /// </summary>
    public int? MaxCompletionTokens => (UpstreamRequest ?? Request) is not { } request ? null
        : request.Kind is ApiKind.Embeddings or ApiKind.Rerank ? 0
        : UpstreamRequest?.MaxTokens ?? Request?.MaxTokens;

    /// <summary>The request's priority class (<c>admission.priority</c>): what is shed first. Standard until the priority stage sets it.</summary>
    public RequestPriority Priority { get; set; } = RequestPriority.Standard;

    /// <summary>The pool circuit breaker's permit the request was admitted with (<see cref="PoolBreakers.TryEnter"/>); null when none was taken.</summary>
    public BreakerTicket? BreakerTicket { get; set; }

    /// <summary>Where the request goes: set by the route stage (the pool may change at admission, by overflow).</summary>
    public RoutingDecision? Decision { get; set; }

    /// <summary>What admission decided and on what; null when the request's pools are not monitored.</summary>
    public Admission.AdmissionOutcome? Admission { get; set; }

    /// <summary>The decision reached the data plane (not only observed, as in STREAMED mode).</summary>
    public bool Applied { get; set; }

    /// <summary>What the response is read for (token usage, the count check, GenAI metrics); null when it is not read.</summary>
    public Responses.ResponseUsage? Usage { get; set; }

    /// <summary>The request's budget reservation (<c>budgets</c>); null when none was taken.</summary>
    public Budgets.BudgetReservation? Budget { get; set; }

    /// <summary>The cache missed a cacheable request: its response is read to be stored (<c>cache</c>); null otherwise.</summary>
    public Caching.CacheWrite? CacheWrite { get; set; }

    /// <summary>The upstream response, for response stages.</summary>
    public ExchangeResponse Response { get; } = new();

    /// <summary>
    /// True when the pipeline stopped waiting for a stage that had not finished (its deadline passed, or the stream
    /// ended): that stage may still read <see cref="Body"/>, so pooled body memory must not be reused.
    /// </summary>
    public bool Abandoned { get; internal set; }

    /// <summary>How the exchange ended; set once, when it ends.</summary>
    public ExchangeEnding Ending { get; private set; }

    /// <summary>
    /// Sets Envoy dynamic metadata: <paramref name="fields"/> under namespace <paramref name="ns"/>, merged into what is
    /// already pending there (as Envoy merges a namespace's fields). The stream sends it with the next reply it writes,
    /// whatever that answers: the decision, a response body chunk, a local answer.
    /// </summary>
    public void SetMetadata(string ns, Struct fields)
    {
        _metadata ??= new Struct();
        if (_metadata.Fields.TryGetValue(ns, out var pending))
        {
            pending.StructValue.MergeFrom(fields);
        }
        else
        {
            _metadata.Fields[ns] = Value.ForStruct(fields);
        }
    }

    /// <summary>The dynamic metadata set since the last reply (null when none), cleared for the next one.</summary>
    internal Struct? TakeMetadata()
    {
        var metadata = _metadata;
        _metadata = null;
        return metadata;
    }
}
