using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>
/// Counts each upstream response's status class and, for requests routed to a model version, the per-variant
/// outcome and the time from the request's headers to the response's (what a canary is judged on).
/// </summary>
internal sealed class ResponseMetricsStage(ExtProcMetrics metrics, TimeProvider time) : IResponseStage
{
    public int Order => 100;

    public ValueTask OnResponseHeadersAsync(Exchange exchange)
    {
        var decision = exchange.Applied ? exchange.Decision : null;
        metrics.Responded(exchange.Response.Status, decision, time.GetElapsedTime(exchange.StartedAt, exchange.Response.ReceivedAt));
        return ValueTask.CompletedTask;
    }
}
