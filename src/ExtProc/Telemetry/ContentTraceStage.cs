using System.Text;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>
/// Registered only with <c>telemetry.recordContent: true</c>: puts the request body as the client sent it (prompts
/// included), cut at <see cref="MaxRecordedBytes"/>, on the exchange span as <c>ai.request.body</c>. Untraced
/// exchanges cost a null check. Response text is never recorded.
/// </summary>
internal sealed class ContentTraceStage : IRequestStage
{
    /// <summary>The most body bytes put on a span (a longer body is cut there; <c>ai.request.body_bytes</c> keeps its length).</summary>
    public const int MaxRecordedBytes = 16 * 1024;

    public int Order => StageOrder.TraceContent;

    public string Name => "trace-content";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        if (exchange.Span is { IsAllDataRequested: true } span)
        {
            var body = exchange.Body.Span;
            span.SetTag("ai.request.body", Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxRecordedBytes)]));
            span.SetTag("ai.request.body_bytes", body.Length);
        }

        return ValueTask.FromResult(StageResult.Continue);
    }
}
