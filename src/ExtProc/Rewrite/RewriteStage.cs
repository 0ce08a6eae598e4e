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
        try
        {
            Apply(exchange, exchange.Choice?.Version.ServedModel ?? request.Model);
        }
        catch (InspectionException ex)
        {
            return ValueTask.FromResult(StageResult.Reject(ex.Error));
        }

        return ValueTask.FromResult(StageResult.Continue);
    }

    /// <summary>
    /// Writes the body (and path) a server serving the model as <paramref name="served"/> reads, from the client's
    /// body: also what admission uses when it overflows a request to another pool under that pool's served name.
    /// </summary>
    /// <exception cref="InspectionException">The body cannot be rewritten (400).</exception>
    public static void Apply(Exchange exchange, string? served)
    {
        var request = exchange.Request!;
        exchange.ReplacementBody = null;
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
}
