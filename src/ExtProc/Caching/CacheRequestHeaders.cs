using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Caching;

/// <summary>What a request's headers say about the cache: <c>cache-control</c>'s <c>no-store</c> and <c>no-cache</c>, and the cacheable mark.</summary>
/// <param name="NoStore">Neither read nor write the cache (<c>cache-control: no-store</c>).</param>
/// <param name="NoCache">Do not answer from the cache, but store the fresh response (<c>cache-control: no-cache</c>, as HTTP's revalidation).</param>
/// <param name="Marked">The configured cacheable header says <c>true</c>.</param>
internal readonly record struct CacheRequestHeaders(bool NoStore, bool NoCache, bool Marked)
{
    /// <summary>The request header the cache reads.</summary>
    public const string CacheControl = "cache-control";

    /// <summary>Reads the captured headers; <paramref name="cacheableHeader"/> is empty when none is configured.</summary>
    public static CacheRequestHeaders Read(CapturedHeaders headers, string cacheableHeader)
    {
        var (noStore, noCache) = (false, false);
        if (headers.Get(CacheControl) is { } control)
        {
            foreach (var part in control.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var directive = part.AsSpan();
                if (directive.IndexOf('=') is var equals and >= 0)
                {
                    directive = directive[..equals].TrimEnd();
                }

                noStore |= directive.Equals("no-store", StringComparison.OrdinalIgnoreCase);
                noCache |= directive.Equals("no-cache", StringComparison.OrdinalIgnoreCase);
            }
        }

        var marked = cacheableHeader.Length > 0 && headers.Get(cacheableHeader) is { } value
            && value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
        return new(noStore, noCache, marked);
    }
}
