using System.ComponentModel.DataAnnotations;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>A model's coalescing (<c>catalogue.models[].coalesce</c>): present turns it on.</summary>
internal sealed class ModelCoalesceOptions
{
    /// <summary>The APIs coalesced: <c>embeddings</c>, <c>rerank</c>, <c>completions</c>. Default: those of them the model serves.</summary>
    public List<ApiKind> Apis { get; set; } = [];

    /// <summary>The longest a request waits for others when the upstream has a free slot (the window's ceiling). Default 10 ms.</summary>
    [Range(0, 1000)]
    public int MaxWaitMs { get; set; } = 10;
}
