using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Rewrite;

/// <summary>
/// Writes the body the chosen version's server reads: a completions request converted to chat, or <c>model</c>
/// rewritten to the served name, and the request as that server reads it (<see cref="Exchange.UpstreamRequest"/>),
/// which is what gets counted.
/// </summary>
internal sealed class RewriteStage : IRequestStage
{
    public int Order => StageOrder.Rewrite;

    public string Name => "rewrite";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        var request = exchange.Request!;
        var served = exchange.Choice?.Version.ServedModel ?? request.Model;
        try
        {
            if (exchange.ConvertToChat)
            {
                exchange.ReplacementBody = CompletionsToChat.Convert(exchange.Body, served);
                exchange.RewrittenPath = CompletionsToChat.Path(exchange.Head.Path);
                exchange.UpstreamRequest = CompletionsToChat.AsChat(request) with { Model = served };
            }
            else if (served != request.Model)
            {
                exchange.ReplacementBody = ModelFieldRewriter.Rewrite(exchange.Body, served!);
                exchange.UpstreamRequest = request with { Model = served };
            }
            else
            {
                exchange.UpstreamRequest = request;
            }
        }
        catch (InspectionException ex)
        {
            return ValueTask.FromResult(StageResult.Reject(ex.Error));
        }

        return ValueTask.FromResult(StageResult.Continue);
    }
}
