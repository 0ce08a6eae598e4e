namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>
/// Options of <c>routing.registry</c>: the models served, their versions, pools, stickiness and experiments.
/// <para/>Without models (the default) the registry is off and routing is by token range only.
/// </summary>
public sealed class ModelRegistryOptions
{
    /// <summary>The model used for requests naming an unknown model or none. Default unset: those get 404 / 400.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>Request header that marks a <c>/v1/completions</c> request for a chat model. Default <c>x-model-type</c>.</summary>
    public string ModelTypeHeader { get; set; } = "x-model-type";

    /// <summary>Request header whose value selects an experiment listed on the model. Default <c>x-experiment</c>.</summary>
    public string ExperimentHeader { get; set; } = "x-experiment";

    /// <summary>How a request's stickiness key is found.</summary>
    public StickinessOptions Stickiness { get; set; } = new();

    /// <summary>The pools versions run on, each with the APIs it serves.</summary>
    public List<PoolOptions> Pools { get; set; } = [];

    /// <summary>Extra names resolving to a model or to another alias (chains allowed, loops rejected).</summary>
    public List<AliasOptions> Aliases { get; set; } = [];

    /// <summary>The models served. Empty (default): registry off.</summary>
    public List<ModelOptions> Models { get; set; } = [];

    /// <summary>Whether the registry is on.</summary>
    public bool IsEnabled => Models.Count > 0;
}
