using Case = Envoy.Service.ExtProc.V3.ProcessingResponse.ResponseOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    private static (bool RequestSide, Expected? Kind) Classify(Case responseCase) => responseCase switch
    {
        Case.RequestHeaders => (true, Expected.Headers),
        Case.RequestBody => (true, Expected.Body),
        Case.RequestTrailers => (true, Expected.Trailers),
        Case.ResponseHeaders => (false, Expected.Headers),
        Case.ResponseBody => (false, Expected.Body),
        Case.ResponseTrailers => (false, Expected.Trailers),
        _ => (false, null),
    };

    /// <summary>Response headers already went downstream: a local reply can only reset the stream.</summary>
    private bool ResponseStarted => !isRequest && _headersReleased;

    /// <summary>A spurious message: 500 since 1.35 (fail-close), or processing complete under failure_mode_allow.</summary>
    private Exception Spurious(string details) => FailOpenOr(LocalReplies.Error(500, details));

    private Exception FailOpenOr(LocalReply reply)
    {
        context.ProcessingComplete = true;
        return context.FailureModeAllow ? new ProcessingCompleteException() : new LocalReplyException(reply, ResponseStarted);
    }

    /// <summary>A mutation Envoy cannot apply: always a 500 (handleErrorResponse).</summary>
    private LocalReplyException MutationError(string details)
    {
        context.ProcessingComplete = true;
        return new LocalReplyException(LocalReplies.Error(500, details), ResponseStarted);
    }
}
