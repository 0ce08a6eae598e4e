using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>One version of a model: where it runs, under which name and tokenizer, and its share of the traffic.</summary>
internal sealed class ModelVersionOptions
{
    /// <summary>The version's name, set in the version header (for example <c>v2</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The pool (a name from <c>catalogue.pools</c>) set in the pool header.</summary>
    public string Pool { get; set; } = "";

    /// <summary>The model name the backend serves; the body's <c>model</c> is rewritten to it. Default: the model's name.</summary>
    public string? ServedModel { get; set; }

    /// <summary>
    /// Percent of the traffic (0 to 100, at most two decimals); a model's weights sum to 100. Optional when the model
    /// has one version (100). A version with weight 0 is reached only through an experiment.
    /// </summary>
    public decimal? Weight { get; set; }

    /// <summary>Marks the version under release. Default false.</summary>
    public bool Canary { get; set; }

    /// <summary>The variant header value and the subset Istio routes to. Default <c>canary</c> when <see cref="Canary"/>, else <c>stable</c>.</summary>
    public string? Variant { get; set; }

    /// <summary>This version's tokenizer, when it differs from the model's (a new base model behind the same name). Default: the model's.</summary>
    public TokenizerOptions? Tokenizer { get; set; }

    /// <summary>The variant label in effect.</summary>
    internal string EffectiveVariant => Variant ?? (Canary ? "canary" : "stable");
}
