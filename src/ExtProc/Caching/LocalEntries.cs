using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// The replica's own copy of the entries it used last, in front of Redis (<c>cache.localMaxBytes</c>, held at most
/// <c>cache.localTtlSeconds</c> and never past the entry's own TTL): a hot entry is answered without a Redis round
/// trip. Entries never change under a key (the same request to the same model version), so a local copy is only ever
/// older, never different, except after a <c>no-cache</c> refresh or a purge in Redis, which other replicas see once
/// their copy expires. Bounded by bytes (the body and key of each entry); the least recently used go first.
/// </summary>
internal sealed class LocalEntries : IDisposable
{
    private readonly MemoryCache? _entries;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;

    public LocalEntries(IOptions<CacheOptions> options, TimeProvider time)
    {
        var cache = options.Value;
        _time = time;
        _ttl = TimeSpan.FromSeconds(cache.LocalTtlSeconds);
        if (cache.Enabled && cache.LocalMaxBytes > 0 && cache.LocalTtlSeconds > 0)
        {
            _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = cache.LocalMaxBytes, CompactionPercentage = 0.25 });
        }
    }

    /// <summary>The local copy of <paramref name="key"/>'s entry, when one is held and has not expired (on the server's clock).</summary>
    public CacheEntry? Get(string key)
    {
        if (_entries is null || !_entries.TryGetValue(key, out Held? held) || held is null)
        {
            return null;
        }

        if (_time.GetUtcNow() < held.ExpiresAt)
        {
            return held.Entry;
        }

        _entries.Remove(key);
        return null;
    }

    /// <summary>Keeps <paramref name="entry"/> (whose Redis TTL is <paramref name="entryTtl"/>) as <paramref name="key"/>'s local copy.</summary>
    public void Put(string key, CacheEntry entry, TimeSpan entryTtl)
    {
        if (_entries is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var expiresAt = Min(now + _ttl, entry.StoredAt + entryTtl);
        if (expiresAt <= now)
        {
            return;
        }

        // The real-time expiry is a backstop that frees memory; the server's clock decides in Get.
        _entries.Set(key, new Held(entry with { Local = true }, expiresAt), new MemoryCacheEntryOptions
        {
            Size = entry.Body.Length + (key.Length * 2) + 128,
            AbsoluteExpirationRelativeToNow = expiresAt - now,
        });
    }

    public void Dispose() => _entries?.Dispose();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record Held(CacheEntry Entry, DateTimeOffset ExpiresAt);
}
