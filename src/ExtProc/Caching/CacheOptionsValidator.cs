using AiSidecar.Configuration;
using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Caching;

/// <summary>What binding cannot check in the <c>cache</c> section: the headers, what the cache needs.</summary>
internal static class CacheOptionsValidator
{
    /// <param name="options">The section.</param>
    /// <param name="redis">The <c>redis</c> section, when it bound.</param>
    /// <param name="tenantHeaders">The other sections' tenant headers (section → header; empty when unset).</param>
    /// <param name="owned">The headers the server owns.</param>
    /// <param name="issues">Where problems go.</param>
    public static void Validate(CacheOptions options, RedisOptions? redis, IReadOnlyDictionary<string, string> tenantHeaders,
        IReadOnlySet<string> owned, ICollection<ConfigIssue> issues)
    {
        const string Root = CacheOptions.SectionName;
        if (options.TenantHeader.Length > 0)
        {
            RoutingOptionsValidator.InputHeader($"{Root}.tenantHeader", options.TenantHeader, owned, issues);
            foreach (var (section, header) in tenantHeaders)
            {
                if (header.Length > 0 && header != options.TenantHeader)
                {
                    issues.Add(new($"{Root}.tenantHeader", $"'{options.TenantHeader}' differs from {section}.tenantHeader ('{header}'): the server has one tenant header; name the same one, or leave one empty."));
                }
            }
        }

        if (options.CacheableHeader.Length > 0)
        {
            RoutingOptionsValidator.InputHeader($"{Root}.cacheableHeader", options.CacheableHeader, owned, issues);
        }

        if (options.Enabled && redis is { Endpoints.Count: 0 })
        {
            issues.Add(new($"{Root}.enabled", "needs redis.endpoints: the entries live in Redis, shared by every replica."));
        }
    }
}
