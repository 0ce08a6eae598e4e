using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Bench;

/// <summary>
/// The three messages Envoy sends for one HTTP exchange when the filter runs request headers SEND, request body
/// BUFFERED and response headers SEND: request_headers (eos=false), one request_body (eos=true), response_headers.
/// <para/>Headers travel as <c>raw_value</c> only, pseudo-headers first, as Envoy 1.30+ sends them; the first message
/// carries <c>protocol_config</c> as Envoy 1.34+ does.
/// </summary>
internal sealed class EnvoyMessages
{
    private EnvoyMessages(ProcessingRequest requestHeaders, ProcessingRequest requestBody, ProcessingRequest responseHeaders)
    {
        RequestHeaders = requestHeaders;
        RequestBody = requestBody;
        ResponseHeaders = responseHeaders;
    }

    public ProcessingRequest RequestHeaders { get; }

    public ProcessingRequest RequestBody { get; }

    public ProcessingRequest ResponseHeaders { get; }

    /// <summary>The three messages in the order Envoy sends them.</summary>
    public IReadOnlyList<ProcessingRequest> InOrder => [RequestHeaders, RequestBody, ResponseHeaders];

    /// <summary>Builds the messages of a <c>POST</c> of <paramref name="body"/> to <paramref name="path"/>.</summary>
    public static EnvoyMessages Create(byte[] body, string path = "/v1/chat/completions", string authority = "llm-gateway.example.internal")
    {
        var requestHeaders = new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders
            {
                Headers = Map(
                    (":authority", authority),
                    (":path", path),
                    (":method", "POST"),
                    (":scheme", "http"),
                    ("content-type", "application/json"),
                    ("content-length", body.Length.ToString(CultureInfo.InvariantCulture)),
                    ("user-agent", "OpenAI/Python 1.54.4"),
                    ("accept", "application/json"),
                    ("authorization", "Bearer sk-bench-0000000000000000000000000000"),
                    ("x-forwarded-proto", "http"),
                    ("x-request-id", "5d3c1c52-8a3e-4b8e-9f7a-2f1f0d6c9b11")),
                EndOfStream = false,
            },
            ProtocolConfig = new ProtocolConfiguration { RequestBodyMode = BodySendMode.Buffered, ResponseBodyMode = BodySendMode.None },
        };
        var requestBody = new ProcessingRequest
        {
            RequestBody = new HttpBody { Body = UnsafeByteOperations.UnsafeWrap(body), EndOfStream = true },
        };
        var responseHeaders = new ProcessingRequest
        {
            ResponseHeaders = new HttpHeaders
            {
                Headers = Map(
                    (":status", "200"),
                    ("content-type", "application/json"),
                    ("content-length", "1187"),
                    ("date", "Fri, 27 Nov 2026 23:10:00 GMT"),
                    ("x-envoy-upstream-service-time", "412"),
                    ("server", "envoy")),
                EndOfStream = false,
            },
        };
        return new EnvoyMessages(requestHeaders, requestBody, responseHeaders);
    }

    /// <summary>The empty reply of the kind matching <paramref name="request"/>: what a null processor answers.</summary>
    public static ProcessingResponse EmptyReply(ProcessingRequest request) => request.RequestCase switch
    {
        ProcessingRequest.RequestOneofCase.RequestHeaders => new ProcessingResponse { RequestHeaders = new HeadersResponse() },
        ProcessingRequest.RequestOneofCase.RequestBody => new ProcessingResponse { RequestBody = new BodyResponse() },
        ProcessingRequest.RequestOneofCase.RequestTrailers => new ProcessingResponse { RequestTrailers = new TrailersResponse() },
        ProcessingRequest.RequestOneofCase.ResponseHeaders => new ProcessingResponse { ResponseHeaders = new HeadersResponse() },
        ProcessingRequest.RequestOneofCase.ResponseBody => new ProcessingResponse { ResponseBody = new BodyResponse() },
        ProcessingRequest.RequestOneofCase.ResponseTrailers => new ProcessingResponse { ResponseTrailers = new TrailersResponse() },
        _ => new ProcessingResponse(),
    };

    private static HeaderMap Map(params (string Name, string Value)[] headers)
    {
        var map = new HeaderMap();
        foreach (var (name, value) in headers)
        {
            map.Headers.Add(new HeaderValue { Key = name, RawValue = ByteString.CopyFromUtf8(value) });
        }

        return map;
    }
}
