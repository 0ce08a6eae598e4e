using AiSidecar.ExtProc.Pipeline;
using Envoy.Service.ExtProc.V3;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>
/// The response direction: the response stages see the headers and, when one asks for it, the body, which the
/// server then requests through <c>mode_override</c> in its answer to the headers.
/// </summary>
internal sealed partial class ProcessingStream
{
    private async ValueTask<bool> OnResponseHeadersAsync(HttpHeaders headers)
    {
        var exchange = ExchangeOf(RequestHead.None);
        exchange.Response.Arrived(headers.Headers, _services.Time.GetTimestamp());
        await _services.Pipeline.RunResponseHeadersAsync(exchange).ConfigureAwait(false);
        return await SendAsync(Replies.ResponseHeaders(exchange.Response.SetHeaders, BodyOverride(exchange.Response.BodyMode))).ConfigureAwait(false);
    }

    private async ValueTask<bool> OnResponseBodyAsync(HttpBody body)
    {
        var data = body.Body.Memory;
        ReadOnlyMemory<byte>? replacement = null;
        if (_exchange is { Response.BodyMode: not ResponseBodyMode.None } exchange)
        {
            var chunk = new ResponseBodyChunk(data, body.EndOfStream);
            await _services.Pipeline.RunResponseBodyAsync(exchange, chunk).ConfigureAwait(false);
            replacement = chunk.Replacement;
        }

        return await SendAsync(_responseMode switch
        {
            BodySendMode.FullDuplexStreamed => Replies.Streamed(request: false, replacement ?? data, body.EndOfStream),
            _ => Replies.ResponseBody(replacement, restampLength: _responseMode == BodySendMode.Buffered),
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// The <c>mode_override</c> that asks Envoy for the response body a stage wants, when the filter is configured to
    /// send none; null when none is wanted or Envoy would ignore it (FULL_DUPLEX_STREAMED). Every field is set
    /// explicitly (Envoy reads the body modes literally, and DEFAULT differently before 1.34).
    /// </summary>
    private Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode? BodyOverride(ResponseBodyMode wanted)
    {
        if (wanted == ResponseBodyMode.None || _responseMode != BodySendMode.None
            || _requestMode == BodySendMode.FullDuplexStreamed || _observability)
        {
            return null;
        }

        _responseMode = wanted == ResponseBodyMode.Buffered ? BodySendMode.Buffered : BodySendMode.Streamed;
        return Replies.ResponseBodyOverride(_responseMode);
    }
}
