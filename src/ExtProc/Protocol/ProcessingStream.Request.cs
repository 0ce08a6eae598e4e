using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using Envoy.Service.ExtProc.V3;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>The request direction: headers → body → trailers.</summary>
internal sealed partial class ProcessingStream
{
    private async ValueTask<bool> OnRequestHeadersAsync(ProcessingRequest message)
    {
        _startedAt = _services.Time.GetTimestamp();
        _table = _services.Tables.Current;
        _head = RequestHead.From(message, _table.OwnedHeaders, _table.CapturedHeaders);
        var strip = Replies.StripOwned(_head);
        if (!InferenceRoutes.TryMatch(_head.Method, _head.Path, out var kind))
        {
            _services.Metrics.Requests.WithLabels("passthrough").Inc();
            return await SendAsync(Replies.RequestHeaders(strip)).ConfigureAwait(false);
        }

        if (message.RequestHeaders.EndOfStream)
        {
            return await RejectAsync(ApiErrors.MissingBody()).ConfigureAwait(false);
        }

        if (_head.ContentLength > _services.MaxBodyBytes)
        {
            return await RejectAsync(ApiErrors.BodyTooLarge(_services.MaxBodyBytes)).ConfigureAwait(false);
        }

        if (_requestMode == BodySendMode.None)
        {
            // Envoy will not send the body, so there is nothing to route on.
            _services.Metrics.Requests.WithLabels("unrouted").Inc();
            return await SendAsync(Replies.RequestHeaders(strip)).ConfigureAwait(false);
        }

        _pending = kind;

        // FULL_DUPLEX_STREAMED holds the headers until answered: answer once the body is known.
        return _requestMode == BodySendMode.FullDuplexStreamed
            || await SendAsync(Replies.RequestHeaders(strip)).ConfigureAwait(false);
    }

    private async ValueTask<bool> OnRequestBodyAsync(HttpBody body)
    {
        if (_pending is not { } kind)
        {
            return await SendAsync(_requestMode == BodySendMode.FullDuplexStreamed
                ? Replies.Streamed(request: true, body.Body.Memory, body.EndOfStream)
                : Replies.RequestBody()).ConfigureAwait(false);
        }

        if (!_body.TryAppend(body.Body, _services.MaxBodyBytes))
        {
            return await RejectAsync(ApiErrors.BodyTooLarge(_services.MaxBodyBytes)).ConfigureAwait(false);
        }

        return _requestMode switch
        {
            // One message holds the whole body; end_of_stream is false only when trailers follow.
            BodySendMode.Buffered => await DecideBufferedAsync(kind, partial: false).ConfigureAwait(false),
            BodySendMode.BufferedPartial => await DecideBufferedAsync(kind, partial: !body.EndOfStream).ConfigureAwait(false),
            BodySendMode.FullDuplexStreamed => !body.EndOfStream || await DecideDuplexAsync(kind, trailers: false).ConfigureAwait(false),
            _ => body.EndOfStream
                ? await DecideObservedAsync(kind, Replies.RequestBody()).ConfigureAwait(false)
                : await SendAsync(Replies.RequestBody()).ConfigureAwait(false),
        };
    }

    private async ValueTask<bool> OnRequestTrailersAsync()
    {
        if (_pending is { } kind)
        {
            // Trailers end a streamed body.
            return _requestMode == BodySendMode.FullDuplexStreamed
                ? await DecideDuplexAsync(kind, trailers: true).ConfigureAwait(false)
                : await DecideObservedAsync(kind, Replies.RequestTrailers()).ConfigureAwait(false);
        }

        return await SendAsync(Replies.RequestTrailers()).ConfigureAwait(false);
    }

    /// <summary>BUFFERED and BUFFERED_PARTIAL: the headers are still held, so the decision applies here.</summary>
    private async ValueTask<bool> DecideBufferedAsync(ApiKind kind, bool partial)
    {
        var outcome = Run(kind);
        if (outcome.Error is { } error)
        {
            // Only part of an oversized body arrived: well-formed but unfinished JSON is too large, not malformed.
            var truncated = partial && error.Kind == "invalid_json" && JsonPrefix.IsIncomplete(_body.Memory.Span);
            return await RejectAsync(truncated ? ApiErrors.BodyTruncated() : error).ConfigureAwait(false);
        }

        CountDecision(outcome, applied: true);
        var restamp = _requestMode == BodySendMode.Buffered && _head?.ContentLength is not null;
        var common = DecisionMutation.Build(outcome, Names, replaceBody: true, restamp);
        return await SendAsync(Replies.RequestBody(common)).ConfigureAwait(false);
    }

    /// <summary>STREAMED (and observability): the headers went upstream already; errors can still be answered.</summary>
    private async ValueTask<bool> DecideObservedAsync(ApiKind kind, ProcessingResponse reply)
    {
        var outcome = Run(kind);
        if (outcome.Error is { } error)
        {
            return await RejectAsync(error).ConfigureAwait(false);
        }

        CountDecision(outcome, applied: false);
        return await SendAsync(reply).ConfigureAwait(false);
    }

    /// <summary>FULL_DUPLEX_STREAMED: answer the held headers with the decision, then stream the body back.</summary>
    private async ValueTask<bool> DecideDuplexAsync(ApiKind kind, bool trailers)
    {
        var outcome = Run(kind);
        if (outcome.Error is { } error)
        {
            return await RejectAsync(error).ConfigureAwait(false);
        }

        CountDecision(outcome, applied: true);
        await SendAsync(Replies.RequestHeaders(
            DecisionMutation.Build(outcome, Names, replaceBody: false, restampLength: false))).ConfigureAwait(false);
        var body = outcome.ReplacementBody ?? _body.Memory;
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

        return !trailers || await SendAsync(Replies.RequestTrailers()).ConfigureAwait(false);
    }
}
