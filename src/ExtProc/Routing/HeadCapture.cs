using AiSidecar.ExtProc.Configuration;

namespace AiSidecar.ExtProc.Routing;

/// <summary>
/// What the request head keeps for the sections read at start (coalescing, budgets, cache): the tenant header, whether
/// the API key's hash is taken, and the headers their stages read. Compiled once from the config the server started
/// with; every reloaded routing table carries the same.
/// </summary>
/// <param name="TenantHeader">The header naming the tenant (<c>coalescing</c>'s, <c>budgets</c>' or <c>cache</c>'s <c>tenantHeader</c>: they must agree); null when unset.</param>
/// <param name="HashApiKeys">Take the API key's SHA-256 at request_headers (budgets or the cache name tenants by it).</param>
/// <param name="Headers">Request headers stages read (the cache's <c>cache-control</c> and cacheable header).</param>
internal sealed record HeadCapture(string? TenantHeader, bool HashApiKeys, IReadOnlyList<string> Headers)
{
    /// <summary>Nothing beyond what the routing section captures.</summary>
    public static HeadCapture None { get; } = new(null, false, []);

    /// <summary>What <paramref name="config"/>'s start-only sections need of the request head.</summary>
    public static HeadCapture From(ServerConfig config)
    {
        string[] tenantHeaders = [config.Coalescing.TenantHeader, config.Budgets.TenantHeader, config.Cache.TenantHeader];
        var tenant = tenantHeaders.FirstOrDefault(h => h.Length > 0);
        List<string> headers = [];
        if (config.Cache.Enabled)
        {
            headers.Add(Caching.CacheRequestHeaders.CacheControl);
            if (config.Cache.CacheableHeader.Length > 0)
            {
                headers.Add(config.Cache.CacheableHeader);
            }
        }

        return new(tenant, config.Budgets.Enabled || config.Cache.Enabled, headers);
    }
}
