using System.Globalization;
using AiSidecar.ExtProc.Pipeline;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;
using HeaderSendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.HeaderSendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Builds the server's replies, each in the oneof case matching the message it answers.</summary>
internal static class Replies
{
    /// <summary>Largest chunk of a streamed body reply; Envoy recommends at most 64 KiB.</summary>
    public const int StreamedChunkBytes = 64 * 1024;

    public static ProcessingResponse RequestHeaders(CommonResponse? common = null) =>
        new() { RequestHeaders = new HeadersResponse { Response = common } };

    /// <summary>The answer to the response headers: the headers stages set, and the body mode they asked for.</summary>
    public static ProcessingResponse ResponseHeaders(IReadOnlyList<KeyValuePair<string, string>>? set = null, ProcessingMode? modeOverride = null)
    {
        var reply = new ProcessingResponse { ResponseHeaders = new HeadersResponse(), ModeOverride = modeOverride };
        if (set is { Count: > 0 })
        {
            var mutation = new HeaderMutation();
            foreach (var (name, value) in set)
            {
                mutation.SetHeaders.Add(EnvoyHeaders.Overwrite(name, value));
            }

            reply.ResponseHeaders.Response = new CommonResponse { HeaderMutation = mutation };
        }

        return reply;
    }

    public static ProcessingResponse RequestBody(CommonResponse? common = null) =>
        new() { RequestBody = new BodyResponse { Response = common } };

    /// <summary>
    /// The answer to a response body message: unchanged, or with the chunk a stage replaced it by. A replaced whole
    /// (BUFFERED) body restamps <c>content-length</c>, which Envoy keeps in that mode and checks against the body.
    /// </summary>
    public static ProcessingResponse ResponseBody(ReadOnlyMemory<byte>? replacement = null, bool restampLength = false)
    {
        var reply = new ProcessingResponse { ResponseBody = new BodyResponse() };
        if (replacement is { } body)
        {
            var common = new CommonResponse { BodyMutation = new BodyMutation { Body = UnsafeByteOperations.UnsafeWrap(body) } };
            if (restampLength)
            {
                common.HeaderMutation = new HeaderMutation { SetHeaders = { EnvoyHeaders.Overwrite("content-length", body.Length.ToString(CultureInfo.InvariantCulture)) } };
            }

            reply.ResponseBody.Response = common;
        }

        return reply;
    }

    public static ProcessingResponse RequestTrailers() =>
        new() { RequestTrailers = new TrailersResponse() };

    public static ProcessingResponse ResponseTrailers() =>
        new() { ResponseTrailers = new TrailersResponse() };

    /// <summary>A FULL_DUPLEX_STREAMED body chunk, in the request or response direction.</summary>
    public static ProcessingResponse Streamed(bool request, ReadOnlyMemory<byte> chunk, bool endOfStream)
    {
        var body = new BodyResponse
        {
            Response = new CommonResponse
            {
                BodyMutation = new BodyMutation
                {
                    StreamedResponse = new StreamedBodyResponse { Body = UnsafeByteOperations.UnsafeWrap(chunk), EndOfStream = endOfStream },
                },
            },
        };
        return request ? new ProcessingResponse { RequestBody = body } : new ProcessingResponse { ResponseBody = body };
    }

    /// <summary>
    /// The processing mode that asks for the response body in <paramref name="responseBody"/> mode, every field set:
    /// the request is over (its body NONE), headers as configured (SEND), trailers SKIP. The shipped Envoy and Istio
    /// configs list exactly these modes in <c>allowed_override_modes</c>.
    /// </summary>
    public static ProcessingMode ResponseBodyOverride(BodySendMode responseBody) => new()
    {
        RequestHeaderMode = HeaderSendMode.Send,
        ResponseHeaderMode = HeaderSendMode.Send,
        RequestBodyMode = BodySendMode.None,
        ResponseBodyMode = responseBody,
        RequestTrailerMode = HeaderSendMode.Skip,
        ResponseTrailerMode = HeaderSendMode.Skip,
    };

    /// <summary>A local answer with an explicit status (a missing status would mean 200 to Envoy).</summary>
    public static ProcessingResponse Immediate(LocalResponse response)
    {
        var headers = new HeaderMutation();
        foreach (var (name, value) in response.Headers)
        {
            headers.SetHeaders.Add(EnvoyHeaders.Overwrite(name, value));
        }

        return new ProcessingResponse
        {
            ImmediateResponse = new ImmediateResponse
            {
                Status = new HttpStatus { Code = (StatusCode)response.Status },
                Headers = headers,
                Body = UnsafeByteOperations.UnsafeWrap(response.Body),
                Details = "ai_sidecar_" + response.Kind,
            },
        };
    }

    /// <summary>Removes client copies of server-owned headers and re-matches the route; null when there are none.</summary>
    public static CommonResponse? StripOwned(RequestHead head)
    {
        if (head.OwnedCopies.Count == 0)
        {
            return null;
        }

        var mutation = new HeaderMutation();
        mutation.RemoveHeaders.AddRange(head.OwnedCopies);
        return new CommonResponse { HeaderMutation = mutation, ClearRouteCache = true };
    }
}
