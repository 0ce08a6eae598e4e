namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>One model of the registry: its names, the APIs it serves, its versions and experiments.</summary>
public sealed class ModelOptions
{
    /// <summary>The model's canonical name: the <c>x-ai-model</c> header, the metric label and the stickiness hash input.</summary>
    public string Name { get; set; } = "";

    /// <summary>Other names clients may send for this model.</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>APIs the model serves: <c>chat</c>, <c>completions</c>, <c>embeddings</c>, <c>rerank</c>, <c>responses</c>. Empty (default): all.</summary>
    public List<string> Apis { get; set; } = [];

    /// <summary>The versions, in order: each takes a contiguous share of the stickiness buckets by its weight.</summary>
    public List<ModelVersionOptions> Versions { get; set; } = [];

    /// <summary>Experiment header values open to clients, each pinning one version (the allow-list).</summary>
    public List<ExperimentOptions> Experiments { get; set; } = [];
}
