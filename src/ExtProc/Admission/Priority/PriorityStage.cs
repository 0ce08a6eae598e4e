using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>
/// Sets <see cref="Exchange.Priority"/> from the request's captured headers (<see cref="PriorityResolver"/>), and
/// counts the class and its source, and any priority header it ignored. Never logs a header's value.
/// </summary>
internal sealed class PriorityStage(ExtProcMetrics metrics) : IRequestStage
{
    public int Order => StageOrder.Prioritize;

    public string Name => "prioritize";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        var resolution = exchange.Table.Priority.Resolve(exchange.Head);
        exchange.Priority = resolution.Priority;
        metrics.Prioritized(resolution);
        return ValueTask.FromResult(StageResult.Continue);
    }
}
