using System.Buffers;
using Envoy.Service.ExtProc.V3;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>
/// Envoy's ProcessorState for one direction (decoding for the request, encoding for the response): sends the headers,
/// body and trailers messages the configured modes call for and applies the answers, in Envoy's order.
/// </summary>
internal sealed partial class DirectionRunner(
    ExchangeContext context, bool isRequest, HttpHeaderList headers, IReadOnlyList<byte[]> chunks, HttpHeaderList? trailers)
{
    private readonly ArrayBufferWriter<byte> _body = new();
    private int _settled;
    private bool _bodyReplaced;
    private bool _headersHeld;
    private bool _headersReleased;

    public HttpHeaderList Headers { get; } = headers;

    public HttpHeaderList? Trailers { get; } = trailers;

    public byte[] Body => _body.WrittenSpan.ToArray();

    public bool RouteCacheCleared { get; private set; }

    /// <summary>True once the headers went on (upstream for requests, downstream for responses).</summary>
    public bool HeadersReleased => _headersReleased;

    private bool NoBody => chunks.Count == 0 && Trailers is null;

    public async Task RunAsync()
    {
        if (context.ProcessingComplete)
        {
            PassThroughRest();
            return;
        }

        if (context.Config.ObservabilityMode)
        {
            await ObserveAsync();
            PassThroughRest();
            return;
        }

        try
        {
            HandlePending();
            await ProcessAsync();
        }
        catch (ProcessingCompleteException)
        {
            context.ProcessingComplete = true;
            PassThroughRest();
        }
    }

    private async Task ProcessAsync()
    {
        var bodyMode = BodyMode;
        var removeContentLength = ShouldRemoveContentLength(bodyMode);
        if (!SendsHeaders)
        {
            RemoveContentLengthIf(removeContentLength);
            Release();
            await ProcessBodyAsync(bodyMode, early: false);
            return;
        }

        await SendHeadersAsync(NoBody);
        RemoveContentLengthIf(removeContentLength);
        _headersHeld = true;
        var early = !NoBody && IsEarlyBodyMode(bodyMode);
        if (early)
        {
            await SendEarlyBodyAsync(bodyMode);
        }
        else if (context.Config.BodyArrival == BodyArrival.WithHeaders && bodyMode == BodySendMode.Buffered)
        {
            CheckBufferLimit();
        }

        var common = Common(await ExpectAsync(Expected.Headers));
        var replacing = common.Status == CommonResponse.Types.ResponseStatus.ContinueAndReplace;
        ApplyHeaderMutation(common, replacing);
        ClearRouteCache(common);
        if (replacing)
        {
            var buffered = !early && context.Config.BodyArrival == BodyArrival.WithHeaders ? AllBytes() : [];
            ContinueAndReplace(common, buffered);
            return;
        }

        if (NoBody)
        {
            Release();
            return;
        }

        // A permitted mode_override in the headers answer changes how the body is handled, unless it already flowed.
        await ProcessBodyAsync(early ? bodyMode : BodyMode, early);
        Release();
    }

    private void Release()
    {
        _headersHeld = false;
        _headersReleased = true;
    }

    private void RemoveContentLengthIf(bool remove)
    {
        if (remove)
        {
            Headers.Remove("content-length");
        }
    }

    /// <summary>Whatever was not processed goes on unmodified (Envoy's clearAsyncState injects queued data).</summary>
    private void PassThroughRest()
    {
        if (!_bodyReplaced)
        {
            for (; _settled < chunks.Count; _settled++)
            {
                _body.Write<byte>(chunks[_settled]);
            }
        }

        _settled = chunks.Count;
        Release();
    }
}
