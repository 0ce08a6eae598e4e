using System.Text;
using System.Text.Json;
using AiSidecar.Interop.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>ProcessingRequests encoded by Envoy's schema in Node, parsed by our C# types.</summary>
public sealed class EnvoyEncodingTests
{
    [Fact]
    public async Task Parse_EnvoyEncodedRequestHeaders_ReadsRawValuesAttributesAndMetadata()
    {
        var json = $$"""
            {
              "requestHeaders": {
                "headers": { "headers": [
                  { "key": ":method", "rawValue": "{{B64("POST")}}" },
                  { "key": ":path", "rawValue": "{{B64("/v1/chat/completions")}}" },
                  { "key": "content-type", "rawValue": "{{B64("application/json")}}" }
                ] }
              },
              "metadataContext": { "filterMetadata": { "envoy.lb": { "canary": true } } },
              "attributes": { "envoy.filters.http.ext_proc": { "request.path": "/v1/chat/completions", "request.size": 2048 } }
            }
            """;

        var request = await EncodeWithEnvoysSchemaAsync(json);

        Assert.Equal(ProcessingRequest.RequestOneofCase.RequestHeaders, request.RequestCase);
        Assert.False(request.RequestHeaders.EndOfStream);
        var headers = request.RequestHeaders.Headers.Headers;
        Assert.Equal([":method", ":path", "content-type"], headers.Select(h => h.Key));
        Assert.Equal(["POST", "/v1/chat/completions", "application/json"], headers.Select(h => h.RawValue.ToStringUtf8()));
        Assert.All(headers, h => Assert.Empty(h.Value));
        var attributes = request.Attributes["envoy.filters.http.ext_proc"].Fields;
        Assert.Equal("/v1/chat/completions", attributes["request.path"].StringValue);
        Assert.Equal(2048, attributes["request.size"].NumberValue);
        Assert.True(request.MetadataContext.FilterMetadata["envoy.lb"].Fields["canary"].BoolValue);
        AssertNothingLeftUnknown(json, request);
    }

    [Fact]
    public async Task Parse_EnvoyEncodedBufferedBody_ReadsBodyBytesAndEndOfStream()
    {
        var prompt = Encoding.UTF8.GetBytes("""{"model":"gpt-4o","messages":[{"role":"user","content":"héllo"}]}""");
        var json = $$"""{ "requestBody": { "body": "{{Convert.ToBase64String(prompt)}}", "endOfStream": true } }""";

        var request = await EncodeWithEnvoysSchemaAsync(json);

        Assert.Equal(ProcessingRequest.RequestOneofCase.RequestBody, request.RequestCase);
        Assert.Equal(prompt, request.RequestBody.Body.ToByteArray());
        Assert.True(request.RequestBody.EndOfStream);
        AssertNothingLeftUnknown(json, request);
    }

    private static async Task<ProcessingRequest> EncodeWithEnvoysSchemaAsync(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = await EnvoyApiTool.RunAsync(
            ["encode", "--descriptors", RepoPaths.ExtProcDescriptorSet, "--type", ProcessingRequest.Descriptor.FullName],
            JsonSerializer.Serialize(document.RootElement));
        Assert.True(result.ExitCode == 0, result.ToString());
        return ProcessingRequest.Parser.ParseFrom(Convert.FromBase64String(result.StdOut.Trim()));
    }

    // Our JSON view drops unknown fields, so equal JSON means every field Envoy wrote was understood.
    private static void AssertNothingLeftUnknown(string envoyJson, ProcessingRequest request)
    {
        using var envoys = JsonDocument.Parse(envoyJson);
        using var ours = JsonDocument.Parse(JsonFormatter.Default.Format(request));
        Assert.True(JsonElement.DeepEquals(envoys.RootElement, ours.RootElement), $"ours: {ours.RootElement}");
    }

    private static string B64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
}
