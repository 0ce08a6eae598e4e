using System.Buffers.Binary;
using AiSidecar.ExtProc.Redis;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// The cache's entries in Redis: one string per key, the response body behind a 9-byte frame (a format byte and when it
/// was stored, in Unix milliseconds), written with its TTL. Every call goes through the server's one
/// <see cref="RedisConnection"/>, bounded by <c>redis.operationTimeoutMs</c>.
/// </summary>
internal sealed class CacheStore(RedisConnection redis)
{
    private const byte Format = 1;
    private const int FrameBytes = 9;

    /// <summary>The key prefix (<c>redis.keyPrefix</c>).</summary>
    public string KeyPrefix => redis.KeyPrefix;

    /// <summary>The entry under <paramref name="key"/>, or null when there is none (or it is not one this server wrote).</summary>
    /// <exception cref="RedisUnavailableException">Redis failed or did not answer in time.</exception>
    public async Task<CacheEntry?> GetAsync(string key)
    {
        var value = await redis.RunAsync(db => db.StringGetAsync(key), "cache_get").ConfigureAwait(false);
        var bytes = (byte[]?)value;
        if (bytes is not { Length: > FrameBytes } || bytes[0] != Format)
        {
            return null;
        }

        return new CacheEntry(DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(1))), bytes.AsMemory(FrameBytes));
    }

    /// <summary>The stored form of <paramref name="body"/>, stored at <paramref name="storedAt"/>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> body, DateTimeOffset storedAt)
    {
        var value = new byte[FrameBytes + body.Length];
        value[0] = Format;
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(1), storedAt.ToUnixTimeMilliseconds());
        body.CopyTo(value.AsSpan(FrameBytes));
        return value;
    }

    /// <summary>Stores <paramref name="value"/> (a <see cref="Frame"/>) under <paramref name="key"/> for <paramref name="ttl"/>.</summary>
    /// <exception cref="RedisUnavailableException">Redis failed or did not answer in time.</exception>
    public Task SetAsync(string key, byte[] value, TimeSpan ttl) =>
        redis.RunAsync(db => db.StringSetAsync(key, value, ttl), "cache_set");
}

/// <summary>A cached response: when it was stored, and its body (a JSON response, as a non-streamed request gets it).</summary>
internal sealed record CacheEntry(DateTimeOffset StoredAt, ReadOnlyMemory<byte> Body);
