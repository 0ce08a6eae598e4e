using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Routing;

/// <summary>
/// The decision: the token range of the count (an upper bound when the count is not exact) names the range; the
/// pool is the chosen version's, else the range's. The model header carries the catalogue name, or the name the
/// client sent for a model outside the catalogue.
/// </summary>
internal sealed class RouteStage : IRequestStage
{
    public int Order => StageOrder.Route;

    public string Name => "route";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        var request = exchange.Request!;
        var tokens = exchange.PromptTokens ?? 0;
        var range = exchange.Table.Catalog.Ranges.Pick(tokens);
        var version = exchange.Choice?.Version;
        exchange.Decision = new RoutingDecision(exchange.Model?.Name ?? request.Model, tokens, range.Name, version?.Pool ?? range.Pool, request.NonTextParts)
        {
            PromptTokensExact = exchange.PromptTokensExact,
            RequestedModel = request.Model,
            Version = version?.Name,
            Variant = version?.Variant,
            Selection = exchange.Choice?.How,
            Bucket = exchange.Choice?.Bucket,
            ServedModel = version?.ServedModel,
            RewrittenPath = exchange.RewrittenPath,
            Priority = exchange.Priority,
        };
        return ValueTask.FromResult(StageResult.Continue);
    }
}
