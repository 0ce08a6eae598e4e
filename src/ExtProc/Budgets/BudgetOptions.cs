using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Budgets;

/// <summary>
/// Options of the <c>budgets</c> section, read at start: token and request budgets per tenant and model, reserved at
/// admission and reconciled with the response's usage in the shared Redis (docs/cache-and-budgets.md). Off by default.
/// </summary>
internal sealed class BudgetOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "budgets";

    /// <summary>Enforce the budgets (needs <c>redis.endpoints</c>). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// A header naming the tenant (its value's SHA-256 is the tenant); empty: the API key's SHA-256 (the bearer token in
    /// <c>authorization</c>). Requests with neither share one anonymous budget. Default none.
    /// </summary>
    public string TenantHeader { get; set; } = "";

    /// <summary>What a request gets when Redis fails or is slower than <c>redis.operationTimeoutMs</c>. Default <see cref="RedisFailurePolicy.Open"/>.</summary>
    public RedisFailurePolicy OnRedisFailure { get; set; } = RedisFailurePolicy.Open;

    /// <summary>The completion tokens reserved for a request without <c>max_tokens</c>, unless its model says otherwise. Default 4,096.</summary>
    [Range(1, 10_000_000)]
    public int DefaultMaxTokens { get; set; } = 4096;

    /// <summary>The limits of every model without its own entry in <see cref="Models"/>, per tenant.</summary>
    public BudgetLimits Default { get; set; } = new();

    /// <summary>Catalogue model name → its limits per tenant.</summary>
    public Dictionary<string, BudgetLimits> Models { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One tenant's limits on one model; 0 means no limit.</summary>
internal sealed class BudgetLimits
{
    /// <summary>Prompt and completion tokens per minute (a fixed window on the minute). Default 0: none.</summary>
    [Range(0, long.MaxValue)]
    public long TokensPerMinute { get; set; }

    /// <summary>Prompt and completion tokens per day (a fixed window on the UTC day). Default 0: none.</summary>
    [Range(0, long.MaxValue)]
    public long TokensPerDay { get; set; }

    /// <summary>Requests per minute. Default 0: none.</summary>
    [Range(0, long.MaxValue)]
    public long RequestsPerMinute { get; set; }

    /// <summary>The completion tokens reserved for a request without <c>max_tokens</c>; 0: <c>budgets.defaultMaxTokens</c>. Default 0.</summary>
    [Range(0, 10_000_000)]
    public int DefaultMaxTokens { get; set; }

    /// <summary>True when any limit is set.</summary>
    public bool Any => TokensPerMinute > 0 || TokensPerDay > 0 || RequestsPerMinute > 0;
}

/// <summary>What a budgeted request gets when Redis cannot answer in time.</summary>
internal enum RedisFailurePolicy
{
    /// <summary>Admitted without a reservation (counted in <c>extproc_budget_failed_open_total</c>).</summary>
    Open,

    /// <summary>Refused: 503 <c>budget_unavailable</c> with <c>retry-after</c>.</summary>
    Closed,
}
