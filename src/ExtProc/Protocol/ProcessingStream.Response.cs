using Envoy.Service.ExtProc.V3;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>The response direction: counted for metrics, passed through unchanged.</summary>
internal sealed partial class ProcessingStream
{
    private async ValueTask<bool> OnResponseHeadersAsync(HttpHeaders headers)
    {
        var status = HeaderValues.Find(headers.Headers, ":status");
        var statusClass = status is { Length: 3 } ? status[0] switch
        {
            '1' => "1xx",
            '2' => "2xx",
            '3' => "3xx",
            '4' => "4xx",
            '5' => "5xx",
            _ => "other",
        } : "other";
        _services.Metrics.ResponseStatus.WithLabels(statusClass).Inc();
        if (_routed is { } routed)
        {
            // Per-variant outcome for canary analysis: status class and time to the upstream's response headers.
            var labels = new[] { routed.Model ?? "", routed.Version!, routed.Variant ?? "" };
            _services.Traffic.VariantResponses.WithLabels([.. labels, statusClass]).Inc();
            _services.Traffic.VariantResponseSeconds.WithLabels(labels).Observe(_services.Time.GetElapsedTime(_startedAt).TotalSeconds);
            _routed = null;
        }

        return await SendAsync(Replies.ResponseHeaders()).ConfigureAwait(false);
    }

    private async ValueTask<bool> OnResponseBodyAsync(HttpBody body) =>
        await SendAsync(_responseMode == BodySendMode.FullDuplexStreamed
            ? Replies.Streamed(request: false, body.Body.Memory, body.EndOfStream)
            : Replies.ResponseBody()).ConfigureAwait(false);
}
