using AiSidecar.ExtProc.Errors;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Builds the server's replies, each in the oneof case matching the message it answers.</summary>
internal static class Replies
{
    /// <summary>Largest chunk of a streamed body reply; Envoy recommends at most 64 KiB.</summary>
    public const int StreamedChunkBytes = 64 * 1024;

    public static ProcessingResponse RequestHeaders(CommonResponse? common = null) =>
        new() { RequestHeaders = new HeadersResponse { Response = common } };

    public static ProcessingResponse ResponseHeaders() =>
        new() { ResponseHeaders = new HeadersResponse() };

    public static ProcessingResponse RequestBody(CommonResponse? common = null) =>
        new() { RequestBody = new BodyResponse { Response = common } };

    public static ProcessingResponse ResponseBody() =>
        new() { ResponseBody = new BodyResponse() };

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

    /// <summary>An OpenAI-style JSON error with an explicit status (a missing status would mean 200 to Envoy).</summary>
    public static ProcessingResponse Immediate(ApiError error) => new()
    {
        ImmediateResponse = new ImmediateResponse
        {
            Status = new HttpStatus { Code = (StatusCode)error.Status },
            Headers = new HeaderMutation { SetHeaders = { HeaderValues.Overwrite("content-type", "application/json") } },
            Body = ByteString.CopyFrom(error.ToJsonBytes()),
            Details = "ai_sidecar_" + error.Kind,
        },
    };

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
