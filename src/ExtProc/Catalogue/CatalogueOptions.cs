namespace AiSidecar.ExtProc.Catalogue;

/// <summary>
/// Options of the <c>catalogue</c> section: every model the server knows, described once (names, APIs, tokenizer,
/// versions), the pools versions run on, and the token ranges. Reloaded with the <c>routing</c> section.
/// </summary>
internal sealed class CatalogueOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "catalogue";

    /// <summary>
    /// What a request for a model outside the catalogue (or without <c>model</c>) gets: <c>route</c> (default:
    /// counted with the default tokenizer and sent to its token range's pool), <c>reject</c> (404
    /// <c>model_not_found</c>, 400 without <c>model</c>) or <c>default</c> (treated as <see cref="DefaultModel"/>).
    /// </summary>
    public UnknownModelPolicy UnknownModels { get; set; } = UnknownModelPolicy.Route;

    /// <summary>The model (or alias) unknown names resolve to; required with <c>unknownModels: default</c>, refused otherwise.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>
    /// Token ranges in ascending order: a prompt of at most <c>maxTokens</c> tokens takes the range's name and, when its
    /// model has no versions, the range's pool. Default small ≤ 1000 → <c>llm-small</c>, medium ≤ 8000 →
    /// <c>llm-medium</c>, large → <c>llm-large</c>.
    /// </summary>
    public List<TokenRangeOptions> Ranges { get; set; } = [];

    /// <summary>The pools model versions run on, each with the APIs its servers expose.</summary>
    public List<PoolOptions> Pools { get; set; } = [];

    /// <summary>Extra names resolving to a model or to another alias (chains allowed, loops refused).</summary>
    public List<AliasOptions> Aliases { get; set; } = [];

    /// <summary>The models. Empty (default): every request is an unknown model.</summary>
    public List<ModelOptions> Models { get; set; } = [];

    /// <summary>Fills the defaults a config file leaves out (lists bound from config replace, never merge).</summary>
    internal void ApplyDefaults()
    {
        if (Ranges.Count == 0)
        {
            Ranges =
            [
                new() { Name = "small", MaxTokens = 1000, Pool = "llm-small" },
                new() { Name = "medium", MaxTokens = 8000, Pool = "llm-medium" },
                new() { Name = "large", Pool = "llm-large" },
            ];
        }
    }
}
