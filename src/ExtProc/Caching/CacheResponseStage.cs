using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// The response of a request the cache missed: <c>x-ai-cache: miss</c> on its headers; its body read as it passes
/// (nothing held back from the client) and, when it ends complete with status 200, stored before the last piece goes on
/// (<see cref="CacheWriter"/>).
/// </summary>
internal sealed class CacheResponseStage(CacheWriter writer) : IResponseStage
{
    public int Order => 500;

    public ValueTask OnResponseHeadersAsync(Exchange exchange)
    {
        if (exchange.CacheWrite is { } write)
        {
            var response = exchange.Response;
            foreach (var (name, value) in CacheWrite.Headers)
            {
                response.SetHeader(name, value);
            }

            if (write.Begin(response.Status, response.Header("content-type"), response.Header("cache-control")))
            {
                response.ReadBody(ResponseBodyMode.Streamed);
            }
            else
            {
                writer.Refused(write);
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
        if (chunk.EndOfStream)
        {
            await writer.StoreAsync(write).ConfigureAwait(false);
        }
        else if (write.Refused is not null)
        {
            writer.Refused(write);
        }
    }
}
