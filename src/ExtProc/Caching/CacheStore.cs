using System.Buffers.Binary;
using AiSidecar.ExtProc.Redis;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// The cache's entries in Redis: one string per key, the response body behind a 9-byte frame (a format byte and when it
/// was stored, in Unix milliseconds), written with its TTL. Every call goes through the server's one
/// <see cref="RedisConnection"/>, bounded by <c>redis.operationTimeoutMs</c>; the entries used last are also kept
/// locally (<see cref="LocalEntries"/>), and answered from there first.
/// </summary>
internal sealed class CacheStore(RedisConnection redis, LocalEntries local)
{
    private const byte Format = 1;
    private const int FrameBytes = 9;

    /// <summary>The key prefix (<c>redis.keyPrefix</c>).</summary>
    public string KeyPrefix => redis.KeyPrefix;

    /// <summary>
    /// The entry under <paramref name="key"/> (the local copy, else Redis's, then kept locally for at most
    /// <paramref name="ttl"/> after it was stored), or null when there is none (or it is not one this server wrote).
    /// </summary>
    /// <exception cref="RedisUnavailableException">Redis failed or did not answer in time.</exception>
    public async ValueTask<CacheEntry?> GetAsync(string key, TimeSpan ttl)
    {
        if (local.Get(key) is { } held)
        {
            return held;
        }

        var value = await redis.RunAsync(db => db.StringGetAsync(key), RedisOperation.CacheGet).ConfigureAwait(false);
        var bytes = (byte[]?)value;
        if (bytes is not { Length: > FrameBytes } || bytes[0] != Format)
        {
            return null;
        }

        var entry = new CacheEntry(DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(1))), bytes.AsMemory(FrameBytes));
        local.Put(key, entry, ttl);
        return entry;
    }

    /// <summary>Stores <paramref name="body"/> under <paramref name="key"/> for <paramref name="ttl"/>, stored at <paramref name="storedAt"/>, and keeps it locally.</summary>
    /// <exception cref="RedisUnavailableException">Redis failed or did not answer in time.</exception>
    public async Task SetAsync(string key, byte[] body, DateTimeOffset storedAt, TimeSpan ttl)
    {
        var value = new byte[FrameBytes + body.Length];
        value[0] = Format;
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(1), storedAt.ToUnixTimeMilliseconds());
        body.CopyTo(value.AsSpan(FrameBytes));
        await redis.RunAsync(db => db.StringSetAsync(key, value, ttl), RedisOperation.CacheSet).ConfigureAwait(false);
        local.Put(key, new CacheEntry(storedAt, body), ttl);
    }
}

/// <summary>A cached response: when it was stored, and its body (a JSON response, as a non-streamed request gets it).</summary>
internal sealed record CacheEntry(DateTimeOffset StoredAt, ReadOnlyMemory<byte> Body)
{
    /// <summary>True when it came from the replica's local copy, not from Redis.</summary>
    public bool Local { get; init; }
}
