using System.Text.Json;
using AiSidecar.Interop.Tests.Infrastructure;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>Bytes written by our C# types, read by Envoy's schema in Node (@bufbuild/protobuf), and back.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> Samples => new(SampleMessages.All.Keys);

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Decode_OurBytesWithEnvoysSchema_SameMessage(string sample)
    {
        var message = SampleMessages.All[sample];

        using var decoded = await DecodeWithEnvoysSchemaAsync(message);

        var root = decoded.RootElement;
        Assert.Empty(root.GetProperty("unknown").EnumerateArray());
        Assert.Equal(message, message.Descriptor.Parser.ParseFrom(root.GetProperty("binary").GetBytesFromBase64()));
        using var ours = JsonDocument.Parse(JsonFormatter.Default.Format(message));
        var envoys = root.GetProperty("json");
        Assert.True(JsonElement.DeepEquals(ours.RootElement, envoys), $"ours:    {ours.RootElement}\nEnvoy's: {envoys}");
    }

    [Fact]
    public async Task Decode_NewerProtocolConfigWithEnvoysSchema_KeptAsUnknownField()
    {
        var request = new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders { EndOfStream = true },
            ProtocolConfig = new ProtocolConfiguration { RequestBodyMode = ProcessingMode.Types.BodySendMode.Buffered },
        };

        using var decoded = await DecodeWithEnvoysSchemaAsync(request);

        var root = decoded.RootElement;
        Assert.Equal(["envoy.service.ext_proc.v3.ProcessingRequest#11"], root.GetProperty("unknown").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(request, ProcessingRequest.Parser.ParseFrom(root.GetProperty("binary").GetBytesFromBase64()));
    }

    private static async Task<JsonDocument> DecodeWithEnvoysSchemaAsync(IMessage message)
    {
        var result = await EnvoyApiTool.RunAsync(
            ["decode", "--descriptors", RepoPaths.ExtProcDescriptorSet, "--type", message.Descriptor.FullName],
            Convert.ToBase64String(message.ToByteArray()));
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StdOut);
    }
}
