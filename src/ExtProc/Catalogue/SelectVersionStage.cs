using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>
/// Picks the version of a model with versions: the experiment header through the model's allow-list, else the
/// sticky bucket of the request's key, else the <c>noKey</c> rule. Models without versions pass untouched.
/// </summary>
internal sealed class SelectVersionStage : IRequestStage
{
    public int Order => StageOrder.Select;

    public string Name => "select";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange) => ValueTask.FromResult(Select(exchange));

    private static StageResult Select(Exchange exchange)
    {
        if (exchange.Model is not { Versions.Count: > 0 } model)
        {
            return StageResult.Continue;
        }

        var table = exchange.Table;
        var headers = exchange.Head.Captured;
        if (headers.Get(table.ExperimentHeader) is { Length: > 0 } experiment)
        {
            if (!model.Experiments.TryGetValue(experiment, out var pinned))
            {
                return StageResult.Reject(ApiErrors.UnknownExperiment(table.ExperimentHeader, experiment, model.Name));
            }

            exchange.Choice = new VersionChoice(pinned, VersionChoice.Experiment, null);
            return StageResult.Continue;
        }

        if (table.Stickiness.Find(headers, exchange.Request!.User) is { } key)
        {
            var bucket = StickyBuckets.Of(model.Name, key);
            exchange.Choice = new VersionChoice(model.ForBucket(bucket), VersionChoice.Weighted, bucket);
            return StageResult.Continue;
        }

        exchange.Choice = new VersionChoice(model.Primary!, VersionChoice.Primary, null);
        return StageResult.Continue;
    }
}
