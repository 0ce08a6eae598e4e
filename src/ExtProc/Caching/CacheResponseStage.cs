using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// The response of a request the cache missed: <c>x-ai-cache: miss</c> on its headers; its body read as it passes
/// (nothing held back from the client) and, when it ends complete with status 200, stored with the model's TTL before
/// the last piece goes on (one Redis call, bounded by <c>redis.operationTimeoutMs</c>; a failure is counted, never the
/// client's problem).
/// </summary>
internal sealed class CacheResponseStage(CacheStore store, ExtProcMetrics metrics, TimeProvider time, ILogger<CacheResponseStage> logger) : IResponseStage
{
    public int Order => 500;

    public ValueTask OnResponseHeadersAsync(Exchange exchange)
    {
        if (exchange.CacheWrite is { } write)
        {
            exchange.Response.SetHeader(CacheStage.Header, "miss");
            var response = exchange.Response;
            if (write.Begin(response.Status, response.Header("content-type"), response.Header("cache-control")))
            {
                response.ReadBody(ResponseBodyMode.Streamed);
            }
            else
            {
                metrics.CacheWrite(write.Model, write.Refused!);
            }
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask OnResponseBodyAsync(Exchange exchange, ResponseBodyChunk chunk)
    {
        if (exchange.CacheWrite is not { Refused: null } write)
        {
            return;
        }

        write.Read(chunk.Data.Span);
        if (!chunk.EndOfStream)
        {
            if (write.Refused is { } early)
            {
                metrics.CacheWrite(write.Model, early);
            }

            return;
        }

        if (write.End() is not { } body)
        {
            metrics.CacheWrite(write.Model, write.Refused!);
            return;
        }

        var value = CacheStore.Frame(body, time.GetUtcNow());
        try
        {
            await store.SetAsync(write.Key, value, TimeSpan.FromSeconds(write.Rule.TtlSeconds)).ConfigureAwait(false);
            metrics.CacheWrite(write.Model, "stored", body.Length);
        }
        catch (RedisUnavailableException ex)
        {
            CacheLog.StoreFailed(logger, write.Model, ex.Message);
            metrics.CacheWrite(write.Model, "unavailable");
        }
    }
}
