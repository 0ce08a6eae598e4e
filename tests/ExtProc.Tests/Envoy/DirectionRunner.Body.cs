using System.Buffers;
using Envoy.Service.ExtProc.V3;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    private Task ProcessBodyAsync(BodySendMode mode, bool early) => mode switch
    {
        BodySendMode.None => NoBodyProcessingAsync(),
        BodySendMode.Buffered => BufferedAsync(),
        BodySendMode.Streamed => StreamedAsync(early),
        BodySendMode.BufferedPartial => BufferedPartialAsync(),
        BodySendMode.FullDuplexStreamed => FullDuplexAsync(early),
        _ => throw new NotSupportedException($"Body mode {mode} is not modelled."),
    };

    private Task NoBodyProcessingAsync()
    {
        Release();
        PassThroughChunks();
        return TrailersAsync();
    }

    private async Task BufferedAsync()
    {
        if (chunks.Count > 0)
        {
            CheckBufferLimit();
            await WholeBodyAsync();
        }

        await TrailersAsync();
    }

    /// <summary>FULL_DUPLEX_STREAMED, and STREAMED with send_body_without_waiting_for_header_response.</summary>
    private async Task SendEarlyBodyAsync(BodySendMode mode)
    {
        await SendChunksAsync();
        if (mode == BodySendMode.FullDuplexStreamed)
        {
            // Envoy drains what it sent: from here on only the server's streamed_response data goes on.
            _settled = chunks.Count;
            context.DuplexBodyFlowed |= chunks.Count > 0;
            if (Trailers is not null && SendsTrailers)
            {
                await SendTrailersAsync();
            }
        }
    }

    /// <summary>One body message with all the data; the answer is handled as Envoy's BufferedBodyCallback.</summary>
    private async Task WholeBodyAsync()
    {
        var data = AllBytes();
        await SendBodyAsync(data, Trailers is null);
        var common = Common(await ExpectAsync(Expected.Body));
        ApplyHeaderMutation(common, common.Status == CommonResponse.Types.ResponseStatus.ContinueAndReplace);
        ValidateContentLength(common);
        _body.Write<byte>(ApplyBodyMutation(common.BodyMutation, data));
        _settled = chunks.Count;
        ClearRouteCache(common);
        _headersHeld = false;
    }

    private async Task TrailersAsync()
    {
        if (Trailers is null || !SendsTrailers || _trailersSent)
        {
            return;
        }

        await SendTrailersAsync();
        ApplyTrailersResponse(await ExpectAsync(Expected.Trailers));
    }

    private void PassThroughChunks()
    {
        if (!_bodyReplaced)
        {
            for (; _settled < chunks.Count; _settled++)
            {
                _body.Write<byte>(chunks[_settled]);
            }
        }

        _settled = chunks.Count;
    }

    private byte[] AllBytes() => chunks.SelectMany(c => c).ToArray();
}
