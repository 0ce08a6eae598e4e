using System.Buffers;
using Envoy.Service.ExtProc.V3;
using MutationCase = Envoy.Service.ExtProc.V3.BodyMutation.MutationOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    /// <summary>STREAMED: one message per chunk, answers matched FIFO; header mutations come too late to matter.</summary>
    private async Task StreamedAsync(bool early)
    {
        if (!early && context.Config.BodyArrival == BodyArrival.WithHeaders)
        {
            await WholeBodyAsync();
            await TrailersAsync();
            return;
        }

        if (!early)
        {
            Release();
            await SendChunksAsync();
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            var common = Common(await ExpectAsync(Expected.Body));
            if (common.BodyMutation?.MutationCase == MutationCase.StreamedResponse)
            {
                throw Spurious("spurious message: streamed_response is received while body_mode_ is not FULL_DUPLEX_STREAMED");
            }

            if (i == 0 && early)
            {
                // With send-without-waiting the headers are held until the first body answer.
                ApplyHeaderMutation(common, false);
                ClearRouteCache(common);
                Release();
            }

            _body.Write<byte>(ApplyBodyMutation(common.BodyMutation, chunks[i]));
            _settled = i + 1;
        }

        Release();
        await TrailersAsync();
    }

    /// <summary>BUFFERED_PARTIAL: buffer until end of stream or over the limit, send that, pass the rest unprocessed.</summary>
    private async Task BufferedPartialAsync()
    {
        if (chunks.Count > 0 && context.Config.BodyArrival == BodyArrival.WithHeaders)
        {
            await WholeBodyAsync();
        }
        else if (chunks.Count > 0)
        {
            var count = 0;
            var total = 0;
            while (count < chunks.Count && total <= context.Config.BufferLimitBytes)
            {
                total += chunks[count++].Length;
            }

            var data = chunks.Take(count).SelectMany(c => c).ToArray();
            await SendBodyAsync(data, count == chunks.Count && Trailers is null);
            var common = Common(await ExpectAsync(Expected.Body));
            ApplyHeaderMutation(common, common.Status == CommonResponse.Types.ResponseStatus.ContinueAndReplace);
            _body.Write<byte>(ApplyBodyMutation(common.BodyMutation, data));
            _settled = count;
            ClearRouteCache(common);
            _headersHeld = false;
            PassThroughChunks();
        }

        await TrailersAsync();
    }
}
