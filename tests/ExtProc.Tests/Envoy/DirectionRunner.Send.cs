using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    private bool _attributesSent;
    private bool _trailersSent;
    private long? _timerDeadline;

    private Task SendHeadersAsync(bool endOfStream)
    {
        var request = NewRequest();
        var message = new HttpHeaders { Headers = Headers.ToHeaderMap(Forwarded), EndOfStream = endOfStream };
        if (isRequest)
        {
            request.RequestHeaders = message;
        }
        else
        {
            request.ResponseHeaders = message;
        }

        return SendAsync(request);
    }

    private Task SendBodyAsync(ReadOnlySpan<byte> data, bool endOfStream)
    {
        var request = NewRequest();
        var message = new HttpBody { Body = ByteString.CopyFrom(data), EndOfStream = endOfStream };
        if (isRequest)
        {
            request.RequestBody = message;
        }
        else
        {
            request.ResponseBody = message;
        }

        return SendAsync(request);
    }

    private Task SendTrailersAsync()
    {
        _trailersSent = true;
        var request = NewRequest();
        var message = new HttpTrailers { Trailers = Trailers!.ToHeaderMap(Forwarded) };
        if (isRequest)
        {
            request.RequestTrailers = message;
        }
        else
        {
            request.ResponseTrailers = message;
        }

        return SendAsync(request);
    }

    /// <summary>Every chunk as its own message; the last carries end_of_stream unless trailers follow.</summary>
    private async Task SendChunksAsync()
    {
        for (var i = 0; i < chunks.Count; i++)
        {
            await SendBodyAsync(chunks[i], i == chunks.Count - 1 && Trailers is null);
        }
    }

    private Task SendAsync(ProcessingRequest request)
    {
        _timerOverridden = false;

        // The message timer re-arms on each message sent; FULL_DUPLEX_STREAMED has none (processor_state.cc).
        _timerDeadline = context.Config.ObservabilityMode || BodyMode == BodySendMode.FullDuplexStreamed
            ? null
            : Now + (long)(context.Config.MessageTimeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        return context.Stream.SendAsync(request);
    }
}
