using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// Options of the <c>cache</c> section, read at start: the exact-match response cache in the shared Redis
/// (docs/cache-and-budgets.md). Off by default.
/// </summary>
internal sealed class CacheOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "cache";

    /// <summary>Answer repeated deterministic requests from the cache (needs <c>redis.endpoints</c>). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// A header naming the tenant (its value's SHA-256); without it (or when empty) the API key's SHA-256 names the
    /// tenant. Entries are never shared across tenants. Default none.
    /// </summary>
    public string TenantHeader { get; set; } = "";

    /// <summary>
    /// A request header whose value <c>true</c> marks a request cacheable even when it is not deterministic (sampling
    /// above temperature 0 without a seed, or tools); empty: only deterministic requests are cached. Default none.
    /// </summary>
    public string CacheableHeader { get; set; } = "";

    /// <summary>
    /// The most bytes of entries each replica keeps locally, in front of Redis (the entries it used last); 0: none, every
    /// lookup goes to Redis. Default 32 MiB.
    /// </summary>
    [Range(0, 4L << 30)]
    public long LocalMaxBytes { get; set; } = 32 << 20;

    /// <summary>
    /// How long a local copy is answered before Redis is asked again (and never past the entry's TTL): how long a purge
    /// or a <c>no-cache</c> refresh in Redis takes to reach the other replicas. Default 10 s.
    /// </summary>
    [Range(1, 3600)]
    public int LocalTtlSeconds { get; set; } = 10;

    /// <summary>The rule of every model without its own entry in <see cref="Models"/>.</summary>
    public CacheRule Default { get; set; } = new();

    /// <summary>Catalogue model name → its rule (replacing <see cref="Default"/> whole).</summary>
    public Dictionary<string, CacheRule> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The rule for <paramref name="model"/>.</summary>
    public CacheRule RuleFor(string model) => Models.GetValueOrDefault(model) ?? Default;
}

/// <summary>How one model's responses are cached.</summary>
internal sealed class CacheRule
{
    /// <summary>Cache this model's responses. Default true (the section's <c>enabled</c> turns the cache on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long an entry lives. Default 300 s.</summary>
    [Range(1, 30 * 86_400)]
    public int TtlSeconds { get; set; } = 300;

    /// <summary>The largest response stored (the entry as kept in Redis); a larger one is passed on and not stored. Default 256 KiB.</summary>
    [Range(1024, 64 << 20)]
    public int MaxEntryBytes { get; set; } = 256 << 10;
}
