using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Case = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Builders for the answers a scripted server sends.</summary>
internal static class ExtProcReplies
{
    /// <summary>The empty answer of the matching kind: "continue unchanged".</summary>
    public static ProcessingResponse Continue(ProcessingRequest request) => With(request, new CommonResponse());

    /// <summary>The answer of the matching kind carrying <paramref name="common"/> (trailers get its header mutation).</summary>
    public static ProcessingResponse With(ProcessingRequest request, CommonResponse common) => request.RequestCase switch
    {
        Case.RequestHeaders => new() { RequestHeaders = new HeadersResponse { Response = common } },
        Case.ResponseHeaders => new() { ResponseHeaders = new HeadersResponse { Response = common } },
        Case.RequestBody => new() { RequestBody = new BodyResponse { Response = common } },
        Case.ResponseBody => new() { ResponseBody = new BodyResponse { Response = common } },
        Case.RequestTrailers => new() { RequestTrailers = new TrailersResponse { HeaderMutation = common.HeaderMutation } },
        Case.ResponseTrailers => new() { ResponseTrailers = new TrailersResponse { HeaderMutation = common.HeaderMutation } },
        _ => throw new ArgumentException($"Unexpected request {request.RequestCase}."),
    };

    /// <summary>A set_headers entry the way a correct server writes it: raw_value only, append unset.</summary>
    public static HeaderValueOption Set(string name, string value) =>
        new() { Header = new HeaderValue { Key = name, RawValue = ByteString.CopyFromUtf8(value) } };

    public static HeaderMutation Mutation(params HeaderValueOption[] set)
    {
        var mutation = new HeaderMutation();
        mutation.SetHeaders.Add(set);
        return mutation;
    }

    public static ProcessingResponse Immediate(int status, string body, string details = "")
    {
        var immediate = new ImmediateResponse { Body = ByteString.CopyFromUtf8(body), Details = details };
        if (status != 0)
        {
            immediate.Status = new global::Envoy.Type.V3.HttpStatus { Code = (global::Envoy.Type.V3.StatusCode)status };
        }

        return new ProcessingResponse { ImmediateResponse = immediate };
    }
}
