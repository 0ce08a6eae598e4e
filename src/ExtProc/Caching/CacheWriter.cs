using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// Stores what a <see cref="CacheWrite"/> read once its response ended: the entry with the model's TTL (one Redis call,
/// bounded by <c>redis.operationTimeoutMs</c>), or the reason it is not stored; either way counted. A failure is never
/// the client's problem.
/// </summary>
internal sealed class CacheWriter(CacheStore store, ExtProcMetrics metrics, TimeProvider time, ILogger<CacheWriter> logger)
{
    /// <summary>Ends <paramref name="write"/> and stores its entry when it has one.</summary>
    public async Task StoreAsync(CacheWrite write)
    {
        if (write.End() is not { } body)
        {
            metrics.CacheWrite(write.Model, write.Refused!);
            return;
        }

        try
        {
            await store.SetAsync(write.Key, body, time.GetUtcNow(), TimeSpan.FromSeconds(write.Rule.TtlSeconds)).ConfigureAwait(false);
            metrics.CacheWrite(write.Model, "stored", body.Length);
        }
        catch (RedisUnavailableException ex)
        {
            CacheLog.StoreFailed(logger, write.Model, ex.Message);
            metrics.CacheWrite(write.Model, "unavailable");
        }
    }

    /// <summary>The response was refused before its end (<see cref="CacheWrite.Refused"/>): counted once.</summary>
    public void Refused(CacheWrite write) => metrics.CacheWrite(write.Model, write.Refused!);
}
