using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>A compiled catalogue model: its tokenizer, versions laid over the buckets in config order, experiments by value.</summary>
internal sealed class CatalogModel
{
    public CatalogModel(ModelOptions options, TokenizerCache tokenizers)
    {
        Name = options.Name;
        Apis = options.Apis.Count > 0 ? [.. options.Apis] : [.. Enum.GetValues<ApiKind>()];
        Tokenizer = tokenizers.For(options.Tokenizer);
        var versions = new List<CatalogVersion>();
        var start = 0;
        foreach (var version in options.Versions)
        {
            var weight = version.Weight ?? 100m;
            var end = start + (int)(weight * 100m);
            var tokenizer = version.Tokenizer is null ? Tokenizer : tokenizers.For(version.Tokenizer);
            versions.Add(new CatalogVersion(version.Name, version.Pool, version.ServedModel ?? options.Name, version.EffectiveVariant,
                version.Canary, weight, start, end, tokenizer));
            start = end;
        }

        Versions = [.. versions];
        Primary = Versions.FirstOrDefault(v => !v.Canary && v.Weight > 0) ?? Versions.FirstOrDefault(v => v.Weight > 0);
        Experiments = options.Experiments.ToDictionary(e => e.Value, e => Versions.First(v => v.Name == e.Version), StringComparer.Ordinal);
        KvBytesPerToken = options.KvBytesPerToken;
        DefaultMaxTokens = options.DefaultMaxTokens;
        Overflow = [.. options.Overflow];
        CoalesceApis = Coalescing.CoalescingOptionsValidator.ApisOf(options);
        CoalesceMaxWait = TimeSpan.FromMilliseconds(options.Coalesce?.MaxWaitMs ?? 0);
        InjectIncludeUsage = options.Usage?.InjectIncludeUsage ?? false;
    }

    public string Name { get; }

    public HashSet<ApiKind> Apis { get; }

    /// <summary>The model's tokenizer (a version may have its own).</summary>
    public TokenizerHandle Tokenizer { get; }

    /// <summary>The versions in config order; empty when the model is routed by token range.</summary>
    public IReadOnlyList<CatalogVersion> Versions { get; }

    /// <summary>Where requests without a stickiness key go (with <c>noKey: primary</c>): the first non-canary version with weight.</summary>
    public CatalogVersion? Primary { get; }

    public Dictionary<string, CatalogVersion> Experiments { get; }

    /// <summary>KV-cache bytes per token; 0 when unknown.</summary>
    public long KvBytesPerToken { get; }

    /// <summary>Output tokens assumed when a request sets no <c>max_tokens</c>.</summary>
    public int DefaultMaxTokens { get; }

    /// <summary>Pools the model overflows to, in order, when its own is saturated.</summary>
    public IReadOnlyList<Admission.ModelOverflowOptions> Overflow { get; }

    /// <summary>The APIs whose requests for this model are coalesced; empty when it does not coalesce.</summary>
    public IReadOnlySet<ApiKind> CoalesceApis { get; }

    /// <summary>The longest a request for this model waits for others while the upstream has a free slot.</summary>
    public TimeSpan CoalesceMaxWait { get; }

    /// <summary>Streamed chat and completions requests get <c>stream_options.include_usage: true</c> (<c>usage.injectIncludeUsage</c>).</summary>
    public bool InjectIncludeUsage { get; }

    /// <summary>The version whose bucket range holds <paramref name="bucket"/>.</summary>
    public CatalogVersion ForBucket(int bucket)
    {
        foreach (var version in Versions)
        {
            if (bucket < version.BucketEnd)
            {
                return version;
            }
        }

        return Versions[^1];
    }
}
