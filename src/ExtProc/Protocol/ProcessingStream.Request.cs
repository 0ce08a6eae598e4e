using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Telemetry;
using Envoy.Service.ExtProc.V3;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>The request direction: headers → body → trailers; the stages run once the body is complete.</summary>
internal sealed partial class ProcessingStream
{
    private async ValueTask<bool> OnRequestHeadersAsync(ProcessingRequest message)
    {
        var table = _services.Tables.Current;
        var head = RequestHeadReader.From(message, table);
        var exchange = ExchangeOf(head);
        _requestEnded = message.RequestHeaders.EndOfStream;
        var strip = Replies.StripOwned(head);
        if (!InferenceRoutes.TryMatch(head.Method, head.Path, hasBody: !message.RequestHeaders.EndOfStream, out var kind))
        {
            _services.Metrics.Request(RequestDecision.Passthrough);
            return await SendAsync(Replies.RequestHeaders(strip)).ConfigureAwait(false);
        }

        exchange.Api = kind;
        exchange.Span = ExtProcTelemetry.StartExchange(kind, head);
        if (message.RequestHeaders.EndOfStream)
        {
            return await AnswerAsync(LocalResponse.FromError(ApiErrors.MissingBody())).ConfigureAwait(false);
        }

        if (head.ContentLength > _services.MaxBodyBytes)
        {
            return await AnswerAsync(LocalResponse.FromError(ApiErrors.BodyTooLarge(_services.MaxBodyBytes))).ConfigureAwait(false);
        }

        if (_requestMode == BodySendMode.None)
        {
            // Envoy will not send the body, so there is nothing to route on.
            _services.Metrics.Request(RequestDecision.Unrouted);
            return await SendAsync(Replies.RequestHeaders(strip)).ConfigureAwait(false);
        }

        _pending = true;

        // FULL_DUPLEX_STREAMED holds the headers until answered: answer once the body is known.
        return _requestMode == BodySendMode.FullDuplexStreamed
            || await SendAsync(Replies.RequestHeaders(strip)).ConfigureAwait(false);
    }

    private async ValueTask<bool> OnRequestBodyAsync(HttpBody body)
    {
        _requestEnded |= body.EndOfStream;
        if (!_pending)
        {
            return await SendAsync(_requestMode == BodySendMode.FullDuplexStreamed
                ? Replies.Streamed(request: true, body.Body.Memory, body.EndOfStream)
                : Replies.RequestBody()).ConfigureAwait(false);
        }

        var length = _exchange!.Head.ContentLength;
        if (!_body.TryAppend(body.Body, _services.MaxBodyBytes, length))
        {
            return await AnswerAsync(LocalResponse.FromError(ApiErrors.BodyTooLarge(_services.MaxBodyBytes))).ConfigureAwait(false);
        }

        // A chunk is judged as the whole body only when nothing can follow it: fewer bytes than content-length, or a
        // streaming mode without end_of_stream, means more is on its way (or, in BUFFERED_PARTIAL, never comes).
        var shortOfLength = length is { } expected && _body.Length < expected;
        if (body.EndOfStream && shortOfLength)
        {
            return await AnswerAsync(LocalResponse.FromError(ApiErrors.BodyTruncated())).ConfigureAwait(false);
        }

        return _requestMode switch
        {
            // One message holds the whole body (end_of_stream is false only when trailers follow). A first message
            // short of content-length means the filter streams after all (the assumed mode is wrong): observe it.
            BodySendMode.Buffered when shortOfLength => await ObserveAsStreamedAsync().ConfigureAwait(false),
            BodySendMode.Buffered => await DecideBufferedAsync().ConfigureAwait(false),

            // Envoy sends what fits its buffer; without end_of_stream (or all of content-length) the rest passes by
            // unprocessed, so the server never sees the whole body.
            BodySendMode.BufferedPartial => body.EndOfStream || (length is not null && !shortOfLength)
                ? await DecideBufferedAsync().ConfigureAwait(false)
                : await AnswerAsync(LocalResponse.FromError(ApiErrors.BodyTruncated())).ConfigureAwait(false),
            BodySendMode.FullDuplexStreamed => !body.EndOfStream || await DecideDuplexAsync(trailers: false).ConfigureAwait(false),
            _ => body.EndOfStream
                ? await DecideObservedAsync(Replies.RequestBody()).ConfigureAwait(false)
                : await SendAsync(Replies.RequestBody()).ConfigureAwait(false),
        };
    }

    private async ValueTask<bool> OnRequestTrailersAsync()
    {
        _requestEnded = true;
        if (_pending)
        {
            // Trailers end a streamed body.
            if (_exchange!.Head.ContentLength is { } expected && _body.Length < expected)
            {
                return await AnswerAsync(LocalResponse.FromError(ApiErrors.BodyTruncated())).ConfigureAwait(false);
            }

            return _requestMode == BodySendMode.FullDuplexStreamed
                ? await DecideDuplexAsync(trailers: true).ConfigureAwait(false)
                : await DecideObservedAsync(Replies.RequestTrailers()).ConfigureAwait(false);
        }

        return await SendAsync(Replies.RequestTrailers()).ConfigureAwait(false);
    }

    /// <summary>
    /// The mode is BUFFERED (most likely assumed: an Envoy before 1.34 sends no <c>protocol_config</c>), but the body
    /// arrives in chunks: Envoy forwarded the headers already, so the rest is handled as STREAMED, where the decision
    /// can only be observed.
    /// </summary>
    private async ValueTask<bool> ObserveAsStreamedAsync()
    {
        _requestMode = BodySendMode.Streamed;
        ProtocolLog.ChunkedBodyInBufferedMode(_services.Logger);
        return await SendAsync(Replies.RequestBody()).ConfigureAwait(false);
    }

    /// <summary>Runs the request stages over the complete body; <paramref name="observed"/> when the headers went upstream already.</summary>
    private ValueTask<StageResult> RunStagesAsync(bool observed = false)
    {
        _pending = false;
        var exchange = _exchange!;
        exchange.Body = _body.Memory;
        exchange.Observed = observed || _observability;
        return _services.Pipeline.RunRequestAsync(exchange);
    }

    /// <summary>BUFFERED and BUFFERED_PARTIAL: the headers are still held, so the decision applies here.</summary>
    private async ValueTask<bool> DecideBufferedAsync()
    {
        var result = await RunStagesAsync().ConfigureAwait(false);
        if (result.Response is { } response)
        {
            return await AnswerAsync(response).ConfigureAwait(false);
        }

        var exchange = Decided(applied: true);
        var restamp = _requestMode == BodySendMode.Buffered && exchange.Head.ContentLength is not null;
        var common = DecisionMutation.Build(exchange, replaceBody: true, restamp);
        return await SendReleasedAsync(Replies.RequestBody(common)).ConfigureAwait(false);
    }

    /// <summary>STREAMED (and observability): the headers went upstream already; errors can still be answered.</summary>
    private async ValueTask<bool> DecideObservedAsync(ProcessingResponse reply)
    {
        var result = await RunStagesAsync(observed: true).ConfigureAwait(false);
        if (result.Response is { } response)
        {
            return await AnswerAsync(response).ConfigureAwait(false);
        }

        Decided(applied: false);
        return await SendReleasedAsync(reply).ConfigureAwait(false);
    }

    /// <summary>FULL_DUPLEX_STREAMED: answer the held headers with the decision, then stream the body back.</summary>
    private async ValueTask<bool> DecideDuplexAsync(bool trailers)
    {
        var result = await RunStagesAsync().ConfigureAwait(false);
        if (result.Response is { } response)
        {
            return await AnswerAsync(response).ConfigureAwait(false);
        }

        var exchange = Decided(applied: true);
        await SendAsync(Replies.RequestHeaders(DecisionMutation.Build(exchange, replaceBody: false, restampLength: false))).ConfigureAwait(false);
        var body = exchange.ReplacementBody ?? _body.Memory;
        var offset = 0;
        do
        {
            var size = Math.Min(Replies.StreamedChunkBytes, body.Length - offset);
            var last = offset + size == body.Length;
            if (size > 0 || !trailers)
            {
                await SendAsync(Replies.Streamed(request: true, body.Slice(offset, size), endOfStream: last && !trailers)).ConfigureAwait(false);
            }

            offset += size;
        }
        while (offset < body.Length);

        await ReleaseRequestAsync().ConfigureAwait(false);
        return !trailers || await SendAsync(Replies.RequestTrailers()).ConfigureAwait(false);
    }

    /// <summary>Counts the decision; <paramref name="applied"/> is false when Envoy forwarded the headers already (observed only).</summary>
    private Exchange Decided(bool applied)
    {
        var exchange = _exchange!;
        exchange.Applied = applied;
        _services.Metrics.Decided(exchange.Decision!, applied);
        ExtProcTelemetry.Decided(exchange);
        return exchange;
    }
}
