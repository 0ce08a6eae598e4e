using System.Diagnostics;
using AiSidecar.Configuration;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Coalescing;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>
/// The server's trace source: one span per exchange, from its request headers to the end of its stream, joined to the
/// client's trace by the request's W3C <c>traceparent</c>; under it, a span for each request stage that takes time
/// (counting, admission, the coalescing wait, any stage that held). Spans carry counts, pools and decisions, never
/// request or response text. Nothing is read, started or written while nobody listens (OTLP off).
/// </summary>
internal static class ExtProcTelemetry
{
    /// <summary>The ActivitySource name to subscribe to.</summary>
    public const string SourceName = "AiSidecar.ExtProc";

    /// <summary>The W3C trace context header read from the request and written for the upstream.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The W3C vendor trace state that goes with <see cref="TraceParentHeader"/>.</summary>
    public const string TraceStateHeader = "tracestate";

    /// <summary>The exchange span's name.</summary>
    public const string ExchangeSpanName = "extproc.exchange";

    /// <summary>W3C trace context allows dropping a longer <c>tracestate</c> (512 characters hold its 32 entries' usual size).</summary>
    private const int MaxTraceStateLength = 512;

    /// <summary>The trace source.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>True when a tracer listens (OTLP configured): only then is trace context read and written.</summary>
    public static bool Listening => Source.HasListeners();

    /// <summary>
    /// Starts an inference exchange's span; null when nobody listens or the sampler drops it. The parent is the
    /// request's <c>traceparent</c> when it is valid W3C trace context (anything else is ignored, with its
    /// <c>tracestate</c>); the span that carried the ext_proc stream, if any, is linked.
    /// </summary>
    public static Activity? StartExchange(ApiKind api, RequestHead head)
    {
        if (!Listening)
        {
            return null;
        }

        var ambient = Activity.Current;
        var span = RemoteParent(head) is { } parent
            ? Source.StartActivity(ExchangeSpanName, ActivityKind.Server, parent, links: ambient is null ? null : [new ActivityLink(ambient.Context)])
            : Source.StartActivity(ExchangeSpanName, ActivityKind.Server);
        span?.SetTag("ai.api", ConfigEnumNames.ToConfigName(api));
        return span;
    }

    /// <summary>The client's trace context; null when it sent none or one that is not valid W3C trace context.</summary>
    internal static ActivityContext? RemoteParent(RequestHead head)
    {
        var state = head.TraceState is { Length: <= MaxTraceStateLength } s ? s : null;
        return head.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, state, isRemote: true, out var context)
            ? context
            : null;
    }

    /// <summary>The <c>traceparent</c> value that makes the upstream's span a child of the exchange's; null without a W3C span.</summary>
    public static string? TraceParentOf(Activity? span) => span is { IdFormat: ActivityIdFormat.W3C } ? span.Id : null;

    /// <summary>Puts the decision on the exchange's span.</summary>
    public static void Decided(Exchange exchange)
    {
        if (exchange.Span is not { IsAllDataRequested: true } span || exchange.Decision is not { } decision)
        {
            return;
        }

        span.SetTag("ai.model", decision.Model);
        span.SetTag("ai.prompt_tokens", decision.PromptTokens);
        span.SetTag("ai.token_range", decision.TokenRange);
        span.SetTag("ai.pool", decision.Pool);
        span.SetTag("ai.version", decision.Version);
        span.SetTag("ai.variant", decision.Variant);
    }

    /// <summary>
    /// A stage is about to run: when the exchange is traced, the time it starts (the Activity's own clock, the system
    /// one), so that a stage found holding gets a span from its start; default otherwise (nothing else is done).
    /// </summary>
    public static DateTimeOffset StageStarting(Exchange exchange) =>
        exchange.Span is { IsAllDataRequested: true } ? TimeProvider.System.GetUtcNow() : default;

    /// <summary>
    /// Starts the span of the stage now running, child of the exchange's, and makes it <see cref="Exchange.StageSpan"/>
    /// (the pipeline ends it when the stage is done): for a stage that knows what to put on it. Null when the exchange
    /// is not traced.
    /// </summary>
    public static Activity? StartStage(Exchange exchange, string name) => Start(exchange, name, default);

    /// <summary>The stage that started at <paramref name="started"/> holds the request: it gets a span now, unless it started one.</summary>
    public static void StageHeld(Exchange exchange, string name, DateTimeOffset started)
    {
        if (started != default && exchange.StageSpan is null)
        {
            Start(exchange, name, started);
        }
    }

    /// <summary>Ends the stage's span, if it has one, with how the stage ended: null when it ran past its deadline.</summary>
    public static void StageEnded(Exchange exchange, StageResult? result)
    {
        if (exchange.StageSpan is not { } span)
        {
            return;
        }

        exchange.StageSpan = null;
        if (result is not { } ended)
        {
            span.SetStatus(ActivityStatusCode.Error, "deadline_exceeded");
        }
        else if (ended.Response is { } response)
        {
            span.SetTag("http.response.status_code", response.Status);
            span.SetTag("ai.answer", response.Kind);
            if (response.Error is not null)
            {
                span.SetStatus(ActivityStatusCode.Error, response.Kind);
            }
        }

        Stop(span);
    }

    /// <summary>Ends a stage span the pipeline did not (the stage failed, or was abandoned when the stream ended).</summary>
    internal static void EndDangling(Exchange exchange, ExchangeEnding ending)
    {
        if (exchange.StageSpan is { } span)
        {
            exchange.StageSpan = null;
            span.SetTag("extproc.ending", ending.ToString());
            Stop(span);
        }
    }

    /// <summary>The count stage's findings: tokens, exact or an upper bound, and the tokenizer.</summary>
    public static void Counted(Activity? span, int tokens, bool exact, string tokenizer)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("ai.prompt_tokens", tokens);
        span.SetTag("ai.prompt_tokens_exact", exact);
        span.SetTag("ai.tokenizer", tokenizer);
    }

    /// <summary>
    /// What admission decided: the pool the request goes to (or that refused it), how, why, for what demand. Without
    /// an outcome the pool is not monitored and its breaker let the request in.
    /// </summary>
    public static void Admitted(Activity? span, AdmissionOutcome? outcome, string? pool)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("ai.pool", pool ?? outcome?.Pools[0].Pool);
        span.SetTag("ai.admission.decision", outcome?.Decision ?? "admitted");
        span.SetTag("ai.admission.reason", outcome?.Reason ?? "unmonitored");
        if (outcome is not null)
        {
            span.SetTag("ai.priority", Admission.Priority.PriorityLabels.Of(outcome.Priority));
            span.SetTag("ai.demand_tokens", outcome.DemandTokens);
        }
    }

    /// <summary>How the coalescing wait ended: the batch's size (0 when the request passed on alone) and the outcome.</summary>
    public static void Coalesced(Activity? span, string pool, CoalesceOutcome outcome, int batchSize, string? reason)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("ai.pool", pool);
        span.SetTag("ai.coalesce.outcome", ExtProcMetrics.OutcomeLabel(outcome));
        span.SetTag("ai.coalesce.batch_size", batchSize);
        span.SetTag("ai.coalesce.reason", reason);
    }

    private static Activity? Start(Exchange exchange, string name, DateTimeOffset started)
    {
        if (exchange.Span is not { IsAllDataRequested: true } parent)
        {
            return null;
        }

        // A stage span is never Activity.Current: the stream's ambient span stays what the code around it sees.
        var ambient = Activity.Current;
        var span = Source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: started);
        Activity.Current = ambient;
        exchange.StageSpan = span;
        return span;
    }

    private static void Stop(Activity span)
    {
        var ambient = Activity.Current;
        span.Dispose();
        Activity.Current = ambient;
    }
}
