using System.Buffers;
using System.Globalization;
using Envoy.Service.ExtProc.V3;
using Case = Envoy.Service.ExtProc.V3.ProcessingResponse.ResponseOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    private static CommonResponse Common(ProcessingResponse response) => response.ResponseCase switch
    {
        Case.RequestHeaders => response.RequestHeaders.Response,
        Case.ResponseHeaders => response.ResponseHeaders.Response,
        Case.RequestBody => response.RequestBody.Response,
        Case.ResponseBody => response.ResponseBody.Response,
        _ => null,
    } ?? new CommonResponse();

    /// <summary>Header mutations apply only while Envoy still holds the headers.</summary>
    private void ApplyHeaderMutation(CommonResponse common, bool replacing)
    {
        if (common.HeaderMutation is null || !_headersHeld)
        {
            return;
        }

        var error = HeaderMutationApplier.Apply(
            common.HeaderMutation, Headers, replacing, context.Checker, ShouldRemoveContentLength(BodyMode));
        if (error is not null)
        {
            throw MutationError(error);
        }
    }

    /// <summary>Honoured on the request path only, and only with a header_mutation in the same CommonResponse.</summary>
    private void ClearRouteCache(CommonResponse common)
    {
        if (isRequest && common.ClearRouteCache && common.HeaderMutation is not null && _headersHeld)
        {
            RouteCacheCleared = true;
        }
    }

    /// <summary>BUFFERED keeps content-length; a body mutation must then match it (processor_state.cc validateContentLength).</summary>
    private void ValidateContentLength(CommonResponse common)
    {
        if (_headersHeld && common.BodyMutation is { } mutation &&
            ulong.TryParse(Headers["content-length"], NumberStyles.None, CultureInfo.InvariantCulture, out var length) &&
            length != (ulong)mutation.Body.Length)
        {
            throw MutationError("mismatch between content length and the length of the mutated body");
        }
    }

    private static byte[] ApplyBodyMutation(BodyMutation? mutation, byte[] data) => mutation?.MutationCase switch
    {
        BodyMutation.MutationOneofCase.Body => mutation.Body.ToByteArray(),
        BodyMutation.MutationOneofCase.ClearBodyFlag => mutation.ClearBodyFlag ? [] : data,
        _ => data,
    };

    /// <summary>CONTINUE_AND_REPLACE: the body (if mutated) is replaced, content-length removed, nothing more is sent.</summary>
    private void ContinueAndReplace(CommonResponse common, byte[] buffered)
    {
        if (common.BodyMutation is { } mutation)
        {
            Headers.Remove("content-length");
            _bodyReplaced = true;
            _body.Write<byte>(ApplyBodyMutation(mutation, buffered));
        }

        PassThroughRest();
    }

    private void ApplyTrailersResponse(ProcessingResponse response)
    {
        var answer = isRequest ? response.RequestTrailers : response.ResponseTrailers;
        if (answer.HeaderMutation is { } mutation && Trailers is not null)
        {
            var error = HeaderMutationApplier.Apply(mutation, Trailers, false, context.Checker, false);
            if (error is not null)
            {
                throw MutationError(error);
            }
        }

        _trailersAnswered = true;
    }
}
