using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using static AiSidecar.ExtProc.Tests.Infrastructure.ExtProcReplies;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Checks the Envoy model's own error replies (SRC onReceiveMessage, onGrpcError, onMessageTimeout).</summary>
public sealed class EnvoyExtProcClientErrorTests
{
    private static readonly HttpExchange Get = HttpExchange.For(DownstreamRequest.Get("/"));

    [Fact]
    public async Task RunAsync_WrongOneofCase_Returns500Spurious()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(_ => new ProcessingResponse { RequestBody = new BodyResponse() });

        var result = await server.Client().RunAsync(Get);

        Assert.Equal(500, result.Response.Status);
        Assert.Equal("spurious_message", result.LocalReply!.Details);
        Assert.Null(result.Forwarded);
    }

    [Fact]
    public async Task RunAsync_BothValueAndRawValue_Returns500()
    {
        var option = new HeaderValueOption { Header = new HeaderValue { Key = "x-a", Value = "v", RawValue = ByteString.CopyFromUtf8("v") } };
        await using var server = await ScriptedExtProcServer.StartAsync(r => With(r, new CommonResponse { HeaderMutation = Mutation(option) }));

        var result = await server.Client().RunAsync(Get);

        Assert.Equal(500, result.Response.Status);
        Assert.StartsWith("Only_one_of_value_or_raw_value", result.LocalReply!.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NewlineInHeaderValue_Returns500()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(r => With(r, new CommonResponse { HeaderMutation = Mutation(Set("x-a", "a\r\nb")) }));

        var result = await server.Client().RunAsync(Get);

        Assert.Equal(500, result.Response.Status);
        Assert.Equal("Invalid_character_in_set_headers_mutation.", result.LocalReply!.Details);
    }

    [Fact]
    public async Task RunAsync_ImmediateResponseWithoutStatus_Returns200()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(_ => Immediate(0, "hi", "my details"));

        var result = await server.Client().RunAsync(Get);

        Assert.Equal(200, result.Response.Status);
        Assert.Equal("hi", result.Response.BodyText);
        Assert.Equal("text/plain", result.Response.Headers["content-type"]);
        Assert.Equal("my_details", result.LocalReply!.Details);
    }
}
