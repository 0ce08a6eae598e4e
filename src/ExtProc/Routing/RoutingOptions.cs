using AiSidecar.ExtProc.Routing.Registry;

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

    /// <summary>The model registry: versions, canary weights, experiments and rewrites. Off by default.</summary>
    public ModelRegistryOptions Registry { get; set; } = new();

    /// <summary>
    /// Seconds between checks of the config file for changes to this section, which are validated and swapped in
    /// without a restart; 0 turns reloading off. Default 5. Read at start only.
    /// </summary>
    public int ReloadCheckSeconds { get; set; } = 5;

    /// <summary>Fills the defaults a config file leaves out (lists bound from config replace, never merge).</summary>
    internal void ApplyDefaults()
    {
        if (Ranges.Count == 0)
        {
            Ranges = DefaultRanges();
        }

        if (Registry.Stickiness.Keys.Count == 0)
        {
            Registry.Stickiness.Keys = StickinessOptions.DefaultKeys();
        }
    }

    internal static List<TokenRangeOptions> DefaultRanges() =>
    [
        new() { Name = "small", MaxTokens = 1000, Pool = "llm-small" },
        new() { Name = "medium", MaxTokens = 8000, Pool = "llm-medium" },
        new() { Name = "large", Pool = "llm-large" },
    ];
}
