using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Reads the body as a request to the API its path called: <see cref="Exchange.Request"/>, or 400.</summary>
internal sealed class InspectStage(IRequestInspector inspector) : IRequestStage
{
    public int Order => StageOrder.Inspect;

    public string Name => "inspect";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        try
        {
            exchange.Request = inspector.Inspect(exchange.Api, exchange.Body);
            return ValueTask.FromResult(StageResult.Continue);
        }
        catch (InspectionException ex)
        {
            return ValueTask.FromResult(StageResult.Reject(ex.Error));
        }
    }
}
