using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Pipeline;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>
/// Envoy's protocol state machine for one ext_proc stream, that is one HTTP exchange. Every message is answered
/// exactly once, in order, in the matching oneof case; the request and response directions keep separate state.
/// Single writer by construction: replies are written from the one loop that reads. Everything about the request
/// itself lives in its <see cref="Exchange"/>, which the stages of <see cref="ExchangePipeline"/> work on.
/// </summary>
internal sealed partial class ProcessingStream
{
    private readonly IServerStreamWriter<ProcessingResponse> _writer;
    private readonly ProcessingServices _services;
    private readonly CancellationToken _cancellation;
    private readonly BodyBuffer _body;
    private BodySendMode _requestMode;
    private BodySendMode _responseMode;
    private bool _observability;
    private bool _answered;
    private Exchange? _exchange;

    /// <summary>True once the request direction has ended (end_of_stream or trailers seen).</summary>
    private bool _requestEnded;

    /// <summary>True while an inference request's body is being collected for the stages.</summary>
    private bool _pending;

    public ProcessingStream(IServerStreamWriter<ProcessingResponse> writer, ProcessingServices services, CancellationToken cancellation)
    {
        _writer = writer;
        _services = services;
        _cancellation = cancellation;
        _body = new BodyBuffer(services.BodyPool);
        _requestMode = services.AssumedRequestMode;
        _responseMode = services.AssumedResponseMode;
    }

    /// <summary>Handles one message; false once the server has ended the exchange (a local answer).</summary>
    public async ValueTask<bool> HandleAsync(ProcessingRequest message)
    {
        if (message.ProtocolConfig is { } config)
        {
            _requestMode = config.RequestBodyMode;
            _responseMode = config.ResponseBodyMode;
        }

        _observability |= message.ObservabilityMode;
        var started = _services.Time.GetTimestamp();
        try
        {
            return message.RequestCase switch
            {
                ProcessingRequest.RequestOneofCase.RequestHeaders => await OnRequestHeadersAsync(message).ConfigureAwait(false),
                ProcessingRequest.RequestOneofCase.RequestBody => await OnRequestBodyAsync(message.RequestBody).ConfigureAwait(false),
                ProcessingRequest.RequestOneofCase.RequestTrailers => await OnRequestTrailersAsync().ConfigureAwait(false),
                ProcessingRequest.RequestOneofCase.ResponseHeaders => await OnResponseHeadersAsync(message.ResponseHeaders).ConfigureAwait(false),
                ProcessingRequest.RequestOneofCase.ResponseBody => await OnResponseBodyAsync(message.ResponseBody).ConfigureAwait(false),
                ProcessingRequest.RequestOneofCase.ResponseTrailers => await SendAsync(Replies.ResponseTrailers()).ConfigureAwait(false),
                _ => throw new RpcException(new Status(StatusCode.InvalidArgument,
                    "The ProcessingRequest has none of request_headers, request_body, request_trailers, response_headers, response_body or response_trailers set.")),
            };
        }
        finally
        {
            _services.Metrics.MessageHandled(message.RequestCase, _services.Time.GetElapsedTime(started));
            if (message.RequestCase == ProcessingRequest.RequestOneofCase.RequestBody)
            {
                // The gRPC reader keeps the last message until the next one arrives (for a decided request, until the
                // response starts): it must not keep the body's bytes alive that long.
                message.RequestBody.Body = ByteString.Empty;
            }
        }
    }

    /// <summary>
    /// Answers an unexpected fault with a JSON error rather than a bare gRPC error: 500, or 503 with
    /// <c>retry-after</c> when <paramref name="outOfMemory"/> (the same request can succeed once others are done).
    /// </summary>
    public async ValueTask FailAsync(bool outOfMemory = false) => await AnswerAsync(outOfMemory
        ? LocalResponse.Overloaded(_services.RetryAfterSeconds)
        : LocalResponse.FromError(ApiErrors.Internal())).ConfigureAwait(false);

    /// <summary>
    /// True when a message that could not be read (over the gRPC receive limit, or memory ran out parsing it) can be
    /// answered: while the request direction is open it can only be the request body (or one of its chunks). Not in
    /// the response direction, nor for an observer.
    /// </summary>
    public bool CanAnswerUnreadMessage => _exchange is not null && !_requestEnded && !_answered && !_observability;

    /// <summary>
    /// Answers a request body that was over the gRPC receive limit, and so could not be read, with 413: the answer
    /// Envoy itself gives a body over its buffer limit.
    /// </summary>
    public async ValueTask AnswerOversizedAsync() =>
        await AnswerAsync(LocalResponse.FromError(ApiErrors.BodyTooLarge(_services.MaxBodyBytes))).ConfigureAwait(false);

    /// <summary>Ends the exchange (releasing its leases): <paramref name="ending"/>, or answered when the server answered it.</summary>
    public ValueTask EndAsync(ExchangeEnding ending)
    {
        var effective = _answered ? ExchangeEnding.Answered : ending;
        _services.Metrics.StreamEnded(effective);
        _body.Release(toPool: _exchange?.Abandoned != true);
        return _exchange?.EndAsync(effective) ?? ValueTask.CompletedTask;
    }

    private Exchange ExchangeOf(Pipeline.RequestHead head) =>
        _exchange ??= new Exchange(_services.Tables.Current, head, _services.Exchanges, _cancellation);

    /// <summary>The request is decided: the body, and what the stages derived from it, are dropped.</summary>
    private ValueTask ReleaseRequestAsync()
    {
        var exchange = _exchange!;
        _body.Release(toPool: !exchange.Abandoned);
        return exchange.ReleaseRequestAsync();
    }

    /// <summary>
    /// Sends the decided request's <paramref name="reply"/>, dropping the request first: the reply carries all it
    /// needs (a replaced body is its own array), so the body's memory budget is free for the next large body while
    /// this reply waits for the connection, which under load can take far longer than the stages did. Not when a stage
    /// was abandoned while still running: it may still read the request, which is then dropped when the stream ends.
    /// </summary>
    private async ValueTask<bool> SendReleasedAsync(ProcessingResponse reply)
    {
        if (_exchange is { Abandoned: false })
        {
            await ReleaseRequestAsync().ConfigureAwait(false);
        }

        return await SendAsync(reply).ConfigureAwait(false);
    }

    private async ValueTask<bool> SendAsync(ProcessingResponse reply)
    {
        // Dynamic metadata a stage set goes with the next reply, whichever message it answers.
        reply.DynamicMetadata = _exchange?.TakeMetadata();

        // In observability mode Envoy ignores every reply and never waits for one.
        if (!_observability)
        {
            await _writer.WriteAsync(reply, _cancellation).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Ends the exchange with a local answer (an error or a stage's response).</summary>
    private async ValueTask<bool> AnswerAsync(LocalResponse response)
    {
        _pending = false;
        _answered = true;
        _services.Metrics.Answered(response);
        ProtocolLog.Answered(_services.Logger, response.Kind, response.Status);
        await SendReleasedAsync(Replies.Immediate(response)).ConfigureAwait(false);

        // Envoy sends nothing more after an immediate response; an observer keeps listening to the end.
        return _observability;
    }
}
