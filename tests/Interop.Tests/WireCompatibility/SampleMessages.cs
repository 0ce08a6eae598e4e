using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>Messages shaped like the ones the server and Envoy exchange, built with our C# types.</summary>
internal static class SampleMessages
{
    public static IReadOnlyDictionary<string, IMessage> All { get; } = new Dictionary<string, IMessage>(StringComparer.Ordinal)
    {
        ["routing-headers"] = new ProcessingResponse
        {
            RequestBody = new BodyResponse { Response = new CommonResponse { HeaderMutation = SampleHeaders.Routing(), ClearRouteCache = true } },
        },
        ["replace-body"] = new ProcessingResponse
        {
            RequestHeaders = new HeadersResponse
            {
                Response = new CommonResponse
                {
                    Status = CommonResponse.Types.ResponseStatus.ContinueAndReplace,
                    HeaderMutation = new HeaderMutation { RemoveHeaders = { "content-length" } },
                    BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("{\"model\":\"m\"}") },
                },
            },
            DynamicMetadata = Struct.Parser.ParseJson("""{"ai.sidecar":{"model":"m","prompt_tokens":1234}}"""),
        },
        ["clear-body"] = new ProcessingResponse
        {
            ResponseBody = new BodyResponse { Response = new CommonResponse { BodyMutation = new BodyMutation { ClearBodyFlag = true } } },
        },
        ["immediate-response"] = new ProcessingResponse
        {
            ImmediateResponse = new ImmediateResponse
            {
                Status = new HttpStatus { Code = StatusCode.TooManyRequests },
                Headers = new HeaderMutation { SetHeaders = { SampleHeaders.Overwrite("retry-after", "1") } },
                Body = ByteString.CopyFromUtf8("prompt too large"),
                GrpcStatus = new GrpcStatus { Status = 8 },
                Details = "ai_sidecar_prompt_too_large",
            },
        },
        ["mode-override-and-timeout"] = new ProcessingResponse
        {
            ModeOverride = new ProcessingMode
            {
                RequestHeaderMode = ProcessingMode.Types.HeaderSendMode.Send,
                RequestBodyMode = ProcessingMode.Types.BodySendMode.Buffered,
                ResponseTrailerMode = ProcessingMode.Types.HeaderSendMode.Skip,
            },
            OverrideMessageTimeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(2500)),
        },
        ["request-headers"] = new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders { Headers = new HeaderMap { Headers = { SampleHeaders.Raw(":method", "POST"), SampleHeaders.Raw(":path", "/v1/chat/completions") } } },
            MetadataContext = new Metadata { FilterMetadata = { ["envoy.lb"] = Struct.Parser.ParseJson("""{"canary":true}""") } },
            Attributes = { ["envoy.filters.http.ext_proc"] = Struct.Parser.ParseJson("""{"request.path":"/v1/chat/completions"}""") },
        },
        ["request-body"] = new ProcessingRequest
        {
            RequestBody = new HttpBody { Body = ByteString.CopyFrom(new byte[] { 0, 1, 0xFE, 0xFF }), EndOfStream = true },
            ObservabilityMode = true,
        },
    };
}
