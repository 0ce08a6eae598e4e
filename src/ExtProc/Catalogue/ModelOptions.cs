using System.ComponentModel.DataAnnotations;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>One model of the catalogue: its names, the APIs it serves, its tokenizer, versions and experiments.</summary>
internal sealed class ModelOptions
{
    /// <summary>The canonical name: the model header, the metric label and the stickiness hash input.</summary>
    public string Name { get; set; } = "";

    /// <summary>Other names clients may send; an alias with <c>*</c> or <c>?</c> is a pattern, tried in config order after every exact name.</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>APIs the model serves. Empty (default): all.</summary>
    public List<ApiKind> Apis { get; set; } = [];

    /// <summary>The tokenizer and chat template its servers use. Default: <c>tokenization.encoding</c> with OpenAI's chat overhead.</summary>
    public TokenizerOptions? Tokenizer { get; set; }

    /// <summary>
    /// The versions, in order: each takes a contiguous share of the stickiness buckets by its weight. None (default):
    /// the request goes to its token range's pool under the name it was sent with.
    /// </summary>
    public List<ModelVersionOptions> Versions { get; set; } = [];

    /// <summary>Experiment header values open to clients, each pinning one version (the allow-list).</summary>
    public List<ExperimentOptions> Experiments { get; set; } = [];

    /// <summary>KV-cache bytes one token of this model takes (layers × 2 × KV heads × head size × bytes per value). Default 0: unknown.</summary>
    [Range(0, long.MaxValue)]
    public long KvBytesPerToken { get; set; }

    /// <summary>The built-in <see cref="DefaultMaxTokens"/>, also assumed for models outside the catalogue.</summary>
    public const int StandardMaxTokens = 1024;

    /// <summary>Output tokens assumed for a request that sets no <c>max_tokens</c> (or <c>max_completion_tokens</c>). Default 1,024.</summary>
    [Range(0, 10_000_000)]
    public int DefaultMaxTokens { get; set; } = StandardMaxTokens;

    /// <summary>Pools the model's requests overflow to, in order, when its own pool is saturated. Default none.</summary>
    public List<ModelOverflowOptions> Overflow { get; set; } = [];

    /// <summary>Coalescing of the model's single-input requests from many clients into one batch. Default none: off (docs/coalescing.md).</summary>
    public Coalescing.ModelCoalesceOptions? Coalesce { get; set; }

    /// <summary>Usage settings: <c>injectIncludeUsage</c>. Default none: off (docs/configuration.md, "responses").</summary>
    public Responses.ModelUsageOptions? Usage { get; set; }
}
