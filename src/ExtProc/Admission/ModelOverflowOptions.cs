namespace AiSidecar.ExtProc.Admission;

/// <summary>A pool a model's requests may overflow to when its own pool is saturated (<c>catalogue.models[].overflow</c>).</summary>
internal sealed class ModelOverflowOptions
{
    /// <summary>The pool (a name from <c>catalogue.pools</c>).</summary>
    public string Pool { get; set; } = "";

    /// <summary>The name that pool's servers serve the model under (the body's <c>model</c> is rewritten). Default: the model's served name.</summary>
    public string? ServedModel { get; set; }
}
