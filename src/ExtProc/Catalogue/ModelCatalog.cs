using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>
/// The compiled catalogue: resolves a requested name to a model (names and aliases exactly, registry aliases through
/// their chain, then alias patterns in config order), says what unknown names get, and holds the token ranges.
/// </summary>
internal sealed class ModelCatalog
{
    private readonly Dictionary<string, CatalogModel> _byName = new(StringComparer.Ordinal);
    private readonly (Regex Pattern, CatalogModel Model)[] _patterns;

    public ModelCatalog(CatalogueOptions options, TokenizerCache tokenizers)
    {
        var models = options.Models.ToDictionary(m => m.Name, m => new CatalogModel(m, tokenizers), StringComparer.Ordinal);
        var names = new ModelNames(options);
        foreach (var (name, model) in names.All())
        {
            _byName[name] = models[model];
        }

        _patterns = [.. names.Patterns().Select(p => (ModelNames.Glob(p.Pattern), models[p.Model]))];
        Models = [.. models.Values];
        UnknownModels = options.UnknownModels;
        Default = options.DefaultModel is { Length: > 0 } fallback ? _byName[fallback] : null;
        Ranges = new TokenRanges(options.Ranges);
        DefaultTokenizer = tokenizers.Default;
        Pools = options.Pools.ToDictionary(p => p.Name, StringComparer.Ordinal);
        PoolNames = options.Pools.Select(p => p.Name)
            .Concat(options.Ranges.Select(r => r.Pool))
            .Concat(Models.SelectMany(m => m.Versions.Select(v => v.Pool).Concat(m.Overflow.Select(o => o.Pool))))
            .ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<CatalogModel> Models { get; }

    /// <summary>What requests for unknown models (or none) get.</summary>
    public UnknownModelPolicy UnknownModels { get; }

    /// <summary>The model unknown names resolve to with <c>unknownModels: default</c>.</summary>
    public CatalogModel? Default { get; }

    public TokenRanges Ranges { get; }

    /// <summary>The declared pools by name, in config order (with their engine, GPUs and admission limits; a range's pool need not be declared).</summary>
    public IReadOnlyDictionary<string, PoolOptions> Pools { get; }

    /// <summary>Every pool a request can be sent to: the declared ones, the ranges', the versions' and the overflow pools.</summary>
    public IReadOnlySet<string> PoolNames { get; }

    /// <summary>The tokenizer of requests outside the catalogue.</summary>
    public TokenizerHandle DefaultTokenizer { get; }

    /// <summary>Every tokenizer the catalogue uses.</summary>
    public IEnumerable<TokenizerHandle> Tokenizers =>
        Models.SelectMany(m => m.Versions.Select(v => v.Tokenizer).Append(m.Tokenizer)).Append(DefaultTokenizer);

    /// <summary>The model <paramref name="name"/> names; null when it is not in the catalogue.</summary>
    public CatalogModel? Find(string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (_byName.TryGetValue(name, out var model))
        {
            return model;
        }

        foreach (var (pattern, candidate) in _patterns)
        {
            if (pattern.IsMatch(name))
            {
                return candidate;
            }
        }

        return null;
    }
}
