using System.Buffers;
using MutationCase = Envoy.Service.ExtProc.V3.BodyMutation.MutationOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    /// <summary>FULL_DUPLEX_STREAMED: the data was drained when sent; only streamed_response chunks go on.</summary>
    private async Task FullDuplexAsync(bool early)
    {
        if (!early)
        {
            await SendEarlyBodyAsync(BodySendMode.FullDuplexStreamed);
        }

        Release();

        // The body ends with a streamed_response end_of_stream, or with the trailers answer when trailers follow it.
        var bodyDone = chunks.Count == 0;
        while (!bodyDone && !_trailersAnswered)
        {
            var response = await ExpectAsync(Expected.Body, returnOnTrailers: true);
            if (_trailersAnswered)
            {
                break;
            }

            var common = Common(response);
            if (common.BodyMutation?.MutationCase != MutationCase.StreamedResponse)
            {
                throw Spurious("spurious message: Normal body mutation response is received while body_mode_ is FULL_DUPLEX_STREAMED");
            }

            _body.Write<byte>(common.BodyMutation.StreamedResponse.Body.Span);
            bodyDone = common.BodyMutation.StreamedResponse.EndOfStream;
        }

        if (_trailersSent && !_trailersAnswered)
        {
            ApplyTrailersResponse(await ExpectAsync(Expected.Trailers));
        }
    }
}
