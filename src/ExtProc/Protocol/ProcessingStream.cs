using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>
/// One ext_proc stream, that is one HTTP exchange. Every message is answered exactly once, in order, in the
/// matching oneof case; the request and response directions keep separate state. Single writer by construction:
/// replies are written from the one loop that reads.
/// </summary>
internal sealed partial class ProcessingStream
{
    private readonly IServerStreamWriter<ProcessingResponse> _writer;
    private readonly ProcessingServices _services;
    private readonly CancellationToken _cancellation;
    private readonly BodyBuffer _body = new();
    private BodySendMode _requestMode;
    private BodySendMode _responseMode;
    private bool _observability;
    private RequestHead? _head;

    /// <summary>The routing table taken when the request headers arrived; the request keeps it across reloads.</summary>
    private RoutingTable? _table;

    /// <summary>The applied registry decision, for the per-variant response metrics.</summary>
    private RoutingDecision? _routed;

    /// <summary>When the request headers arrived.</summary>
    private long _startedAt;

    /// <summary>The API whose body is being collected; null when no inspection is pending.</summary>
    private Inspection.ApiKind? _pending;

    public ProcessingStream(IServerStreamWriter<ProcessingResponse> writer, ProcessingServices services, CancellationToken cancellation)
    {
        _writer = writer;
        _services = services;
        _cancellation = cancellation;
        _requestMode = services.AssumedRequestMode;
        _responseMode = services.AssumedResponseMode;
    }

    /// <summary>Handles one message; false once the server has ended the exchange (an immediate response).</summary>
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
                _ => true,
            };
        }
        finally
        {
            _services.Metrics.ProcessingSeconds.WithLabels(MessageLabel(message.RequestCase))
                .Observe(_services.Time.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>Answers an unexpected fault with a 500 JSON error rather than a bare gRPC error.</summary>
    public async ValueTask FailAsync() => await RejectAsync(ApiErrors.Internal()).ConfigureAwait(false);

    private async ValueTask<bool> SendAsync(ProcessingResponse reply)
    {
        // In observability mode Envoy ignores every reply and never waits for one.
        if (!_observability)
        {
            await _writer.WriteAsync(reply, _cancellation).ConfigureAwait(false);
        }

        return true;
    }

    private async ValueTask<bool> RejectAsync(ApiError error)
    {
        _pending = null;
        _services.Metrics.Requests.WithLabels("rejected").Inc();
        _services.Metrics.Errors.WithLabels(error.Kind).Inc();
        ProtocolLog.Rejected(_services.Logger, error.Kind, error.Status);
        await SendAsync(Replies.Immediate(error)).ConfigureAwait(false);

        // Envoy sends nothing more after an immediate response; an observer keeps listening to the end.
        return _observability;
    }

    private PipelineOutcome Run(Inspection.ApiKind kind)
    {
        _pending = null;
        var table = _table ?? _services.Tables.Current;
        var context = new RequestContext(kind, _head?.Path, _head?.Captured ?? RequestHeaderValues.Empty, table);
        return _services.Pipeline.Run(context, _body.Memory);
    }

    private void CountDecision(PipelineOutcome outcome, bool applied)
    {
        var decision = outcome.Decision!;
        _services.Metrics.PromptTokens.Observe(decision.PromptTokens);
        _services.Metrics.Requests.WithLabels(applied ? decision.TokenRange : "observed").Inc();
        if (applied && decision.Version is { } version)
        {
            _routed = decision;
            _services.Traffic.VariantRequests.WithLabels(decision.Model ?? "", version, decision.Variant ?? "").Inc();
        }
    }

    /// <summary>The header names of the request's routing table.</summary>
    private RoutingHeaderNames Names => (_table ?? _services.Tables.Current).Headers;

    private static string MessageLabel(ProcessingRequest.RequestOneofCase kind) => kind switch
    {
        ProcessingRequest.RequestOneofCase.RequestHeaders => "request_headers",
        ProcessingRequest.RequestOneofCase.RequestBody => "request_body",
        ProcessingRequest.RequestOneofCase.RequestTrailers => "request_trailers",
        ProcessingRequest.RequestOneofCase.ResponseHeaders => "response_headers",
        ProcessingRequest.RequestOneofCase.ResponseBody => "response_body",
        ProcessingRequest.RequestOneofCase.ResponseTrailers => "response_trailers",
        _ => "unknown",
    };
}
