using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Responses;

/// <summary>
/// Reads the response of an exchange marked for usage (<see cref="Exchange.Usage"/>): asks for its body chunk by chunk
/// (nothing held: an SSE stream passes as it comes, only the removed usage chunk is held back while it is read) and
/// records the usage when the body ends.
/// </summary>
internal sealed class UsageResponseStage(UsageRecorder recorder) : IResponseStage
{
    public int Order => 300;

    public ValueTask OnResponseHeadersAsync(Exchange exchange)
    {
        if (exchange.Usage is { } usage)
        {
            usage.Begin(exchange.Response.Header("content-type"), exchange.Response.Status);
            exchange.Response.ReadBody(ResponseBodyMode.Streamed);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnResponseBodyAsync(Exchange exchange, ResponseBodyChunk chunk)
    {
        exchange.Usage?.Read(exchange, chunk, recorder.Now());
        return ValueTask.CompletedTask;
    }
}
