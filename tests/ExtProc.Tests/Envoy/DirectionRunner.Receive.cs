using Envoy.Service.ExtProc.V3;
using Case = Envoy.Service.ExtProc.V3.ProcessingResponse.ResponseOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    private enum Expected
    {
        Headers,
        Body,
        Trailers,
    }

    /// <summary>Waits for the answer to the oldest outstanding message; anything else is spurious (SRC onReceiveMessage).</summary>
    /// <param name="expected">The kind of answer the oldest outstanding message needs.</param>
    /// <param name="returnOnTrailers">FULL_DUPLEX_STREAMED: also return once a trailers answer was applied.</param>
    private async Task<ProcessingResponse> ExpectAsync(Expected expected, bool returnOnTrailers = false)
    {
        _awaitingHeaders = expected == Expected.Headers;
        while (true)
        {
            var response = await NextAsync();
            if (response is null)
            {
                continue;
            }

            var (requestSide, kind) = Classify(response.ResponseCase);
            if (kind is null)
            {
                throw Spurious("unhandled message");
            }

            if (requestSide != isRequest)
            {
                // The other direction's state is idle, so its handler rejects the message.
                throw Spurious("spurious message");
            }

            if (kind == expected)
            {
                _timerDeadline = null;
                _timerOverridden = false;
                return response;
            }

            // FULL_DUPLEX_STREAMED accepts the trailers answer in any state (handleTrailersResponse).
            if (kind == Expected.Trailers && _trailersSent && BodyMode == BodySendMode.FullDuplexStreamed)
            {
                ApplyTrailersResponse(response);
                if (returnOnTrailers)
                {
                    return response;
                }

                continue;
            }

            throw Spurious("spurious message");
        }
    }

    private async Task<ProcessingResponse?> NextAsync()
    {
        var timed = _timerDeadline is not null;
        var wait = timed
            ? TimeSpan.FromSeconds(Math.Max(0, _timerDeadline!.Value - Now) / (double)System.Diagnostics.Stopwatch.Frequency)
            : context.Config.SafetyTimeout;
        var item = await context.Stream.ReceiveAsync(wait);
        if (item is null)
        {
            if (!timed)
            {
                throw new TimeoutException($"The server sent nothing for {wait} where Envoy has no message timer.");
            }

            throw FailOpenOr(LocalReplies.Error(504, "ext_proc_error_per-message_timeout_exceeded"));
        }

        return Handle(item);
    }

    /// <summary>Envoy handles what arrived while it waited for nothing: a close, or an answer to no message (spurious).</summary>
    private void HandlePending()
    {
        while (context.Stream.TryRead(out var item))
        {
            if (Handle(item) is not null)
            {
                throw Spurious("spurious message");
            }
        }
    }

    /// <summary>Stream end, timer override, mode override, metadata and ImmediateResponse; other answers are returned.</summary>
    private ProcessingResponse? Handle(StreamEvent item)
    {
        if (item.Message is not { } response)
        {
            throw item.Closed!.Value.StatusCode == Grpc.Core.StatusCode.OK
                ? new ProcessingCompleteException()
                : FailOpenOr(LocalReplies.Error(500, LocalReplies.GrpcErrorDetails(item.Closed.Value)));
        }

        if (response.OverrideMessageTimeout is { } timeout)
        {
            // Consumed whole: the other fields of this message are ignored.
            OverrideTimer(timeout.ToTimeSpan());
            return null;
        }

        ApplyModeOverride(response);
        RecordDynamicMetadata(response);
        if (response.ResponseCase == Case.ImmediateResponse)
        {
            if (context.Config.DisableImmediateResponse)
            {
                throw Spurious("unhandled immediate response due to config disabled it");
            }

            context.ProcessingComplete = true;
            var reply = LocalReplies.FromImmediate(response.ImmediateResponse, context.Checker);
            throw new LocalReplyException(reply, ResponseStarted);
        }

        return response;
    }
}
