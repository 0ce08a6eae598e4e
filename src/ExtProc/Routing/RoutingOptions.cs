namespace AiSidecar.ExtProc.Routing;

/// <summary>Options of the <c>routing</c> config section.</summary>
public sealed class RoutingOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "routing";

    /// <summary>Names of the headers the server sets.</summary>
    public RoutingHeaderNames Headers { get; set; } = new();

    /// <summary>
    /// Token ranges in ascending order. Default: small ≤ 1000 → <c>llm-small</c>, medium ≤ 8000 →
    /// <c>llm-medium</c>, large → <c>llm-large</c> (applied when the config lists none).
    /// </summary>
    public List<TokenRangeOptions> Ranges { get; set; } = [];

    /// <summary>Models served. Empty (default) accepts any model; otherwise others get 404 <c>model_not_found</c>.</summary>
    public List<string> Models { get; set; } = [];

    internal static List<TokenRangeOptions> DefaultRanges() =>
    [
        new() { Name = "small", MaxTokens = 1000, Pool = "llm-small" },
        new() { Name = "medium", MaxTokens = 8000, Pool = "llm-medium" },
        new() { Name = "large", Pool = "llm-large" },
    ];
}
