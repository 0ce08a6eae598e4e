namespace AiSidecar.ExtProc.Routing;

/// <summary>Names of the request headers the server owns and sets for the data plane to route on (<c>routing.headers</c>).</summary>
internal sealed class RoutingHeaderNames
{
    /// <summary>The requested model (with a catalogue model: its canonical name). Default <c>x-ai-model</c>.</summary>
    public string Model { get; set; } = "x-ai-model";

    /// <summary>The prompt's token count. Default <c>x-ai-prompt-tokens</c>.</summary>
    public string PromptTokens { get; set; } = "x-ai-prompt-tokens";

    /// <summary>
    /// Set to <c>false</c> only when the prompt's token count is an upper bound rather than exact (a pre-token was
    /// longer than <c>tokenization.maxMergeBytes</c>, docs/tokenization.md); absent when the count is exact. Default <c>x-ai-prompt-tokens-exact</c>.
    /// </summary>
    public string PromptTokensExact { get; set; } = "x-ai-prompt-tokens-exact";

    /// <summary>The token range's name (small, medium, large). Default <c>x-token-range</c>.</summary>
    public string TokenRange { get; set; } = "x-token-range";

    /// <summary>The pool chosen for the request. Default <c>x-ai-pool</c>.</summary>
    public string Pool { get; set; } = "x-ai-pool";

    /// <summary>
    /// How many image, audio or file parts the prompt has, set only when there are some: their tokens are
    /// estimated by rule (docs/tokenization.md), so the count is flagged as not exact. Default <c>x-ai-media-parts</c>.
    /// </summary>
    public string MediaParts { get; set; } = "x-ai-media-parts";

    /// <summary>The model version chosen (set only for models with versions). Default <c>x-ai-version</c>.</summary>
    public string Version { get; set; } = "x-ai-version";

    /// <summary>The variant (stable, canary, an A/B label) Istio picks a subset by (models with versions only). Default <c>x-ai-variant</c>.</summary>
    public string Variant { get; set; } = "x-ai-variant";

    /// <summary>The request's priority class: <c>critical</c>, <c>standard</c> or <c>sheddable</c> (<c>admission.priority</c>). Default <c>x-ai-priority</c>.</summary>
    public string Priority { get; set; } = "x-ai-priority";

    /// <summary>All owned names; clients' copies of these are removed.</summary>
    public IReadOnlyList<string> All => [Model, PromptTokens, PromptTokensExact, TokenRange, Pool, MediaParts, Version, Variant, Priority];

    /// <summary>Each owned name with its config key.</summary>
    internal IEnumerable<(string Key, string Name)> Named =>
    [
        ("model", Model), ("promptTokens", PromptTokens), ("promptTokensExact", PromptTokensExact), ("tokenRange", TokenRange), ("pool", Pool),
        ("mediaParts", MediaParts), ("version", Version), ("variant", Variant), ("priority", Priority),
    ];
}
