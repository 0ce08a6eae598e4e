using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>
/// Picks the version of a model with versions: the experiment header through the model's allow-list, else the
/// sticky bucket of the request's key, else the <c>noKey</c> rule. Models without versions pass untouched. An
/// experiment value the model does not list (an experiment ended and removed from the config while clients still
/// send it) is ignored, as if the header were absent, and counted.
/// </summary>
internal sealed class SelectVersionStage(ExtProcMetrics metrics) : IRequestStage
{
    public int Order => StageOrder.Select;

    public string Name => "select";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange) => ValueTask.FromResult(Select(exchange));

    private StageResult Select(Exchange exchange)
    {
        var table = exchange.Table;
        var headers = exchange.Head.Captured;
        var experiment = headers.Get(table.ExperimentHeader) is { Length: > 0 } value ? value : null;
        if (exchange.Model is not { Versions.Count: > 0 } model)
        {
            if (experiment is not null)
            {
                metrics.ExperimentIgnored(exchange.Model?.Name);
            }

            return StageResult.Continue;
        }

        if (experiment is not null)
        {
            if (model.Experiments.TryGetValue(experiment, out var pinned))
            {
                exchange.Choice = new VersionChoice(pinned, VersionChoice.Experiment, null);
                return StageResult.Continue;
            }

            metrics.ExperimentIgnored(model.Name);
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
