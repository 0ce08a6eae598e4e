namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    private BodySendMode BodyMode => isRequest ? context.Mode.RequestBodyMode : context.Mode.ResponseBodyMode;

    /// <summary>DEFAULT means SEND for headers.</summary>
    private bool SendsHeaders => (isRequest ? context.Mode.RequestHeaderMode : context.Mode.ResponseHeaderMode) != HeaderSendMode.Skip;

    /// <summary>DEFAULT means SKIP for trailers.</summary>
    private bool SendsTrailers => (isRequest ? context.Mode.RequestTrailerMode : context.Mode.ResponseTrailerMode) == HeaderSendMode.Send;

    private int TotalBodyBytes => chunks.Sum(c => c.Length);

    /// <summary>processor_state.h <c>shouldRemoveContentLength</c>.</summary>
    private bool ShouldRemoveContentLength(BodySendMode mode) =>
        mode is BodySendMode.Streamed or BodySendMode.BufferedPartial or BodySendMode.FullDuplexStreamed ||
        (mode == BodySendMode.Buffered && !SendsHeaders);

    /// <summary>Modes in which Envoy sends body data without waiting for the headers answer.</summary>
    private bool IsEarlyBodyMode(BodySendMode mode) =>
        mode == BodySendMode.FullDuplexStreamed ||
        (mode == BodySendMode.Streamed && context.Config.SendBodyWithoutWaitingForHeaderResponse);

    /// <summary>The filter manager's buffer limit: 413 for a request, 500 for a response.</summary>
    private void CheckBufferLimit()
    {
        if (TotalBodyBytes > context.Config.BufferLimitBytes)
        {
            throw isRequest
                ? new LocalReplyException(LocalReplies.Error(413, "request_payload_too_large"))
                : new LocalReplyException(LocalReplies.Error(500, "response_payload_too_large"));
        }
    }
}
