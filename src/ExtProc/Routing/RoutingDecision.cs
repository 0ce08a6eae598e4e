using AiSidecar.ExtProc.Admission.Priority;

namespace AiSidecar.ExtProc.Routing;

/// <summary>Where a request goes, expressed as the headers the data plane routes on.</summary>
/// <param name="Model">The model header's value: the request's model, or the registry's canonical name for it.</param>
/// <param name="PromptTokens">The prompt's token count.</param>
/// <param name="TokenRange">The token range's name.</param>
/// <param name="Pool">The chosen pool.</param>
/// <param name="MediaParts">Image, audio and file parts in the prompt, whose tokens are estimated by rule.</param>
internal sealed record RoutingDecision(string? Model, int PromptTokens, string TokenRange, string Pool, int MediaParts = 0)
{
    /// <summary>False when <see cref="PromptTokens"/> is an upper bound rather than the exact count.</summary>
    public bool PromptTokensExact { get; init; } = true;

    /// <summary>The <c>model</c> the client sent (an alias, or null when it sent none).</summary>
    public string? RequestedModel { get; init; }

    /// <summary>The registry version chosen; null without a registry.</summary>
    public string? Version { get; init; }

    /// <summary>The chosen version's variant (stable, canary, an A/B label); null without a registry.</summary>
    public string? Variant { get; init; }

    /// <summary>How the version was chosen: <c>weighted</c>, <c>experiment</c> or <c>primary</c> (no stickiness key).</summary>
    public string? Selection { get; init; }

    /// <summary>The stickiness bucket (0 to 9999) the key fell in, when a key was hashed.</summary>
    public int? Bucket { get; init; }

    /// <summary>The model name the version's server is asked for (the body's <c>model</c>, rewritten when it differed); null without a registry.</summary>
    public string? ServedModel { get; init; }

    /// <summary>The pool the route stage chose, when admission overflowed the request to <see cref="Pool"/>; null otherwise.</summary>
    public string? OverflowFrom { get; init; }

    /// <summary>The new <c>:path</c> when the request was converted to another API; null otherwise.</summary>
    public string? RewrittenPath { get; init; }

    /// <summary>The request's priority class, sent upstream in the priority header.</summary>
    public RequestPriority Priority { get; init; } = RequestPriority.Standard;
}
