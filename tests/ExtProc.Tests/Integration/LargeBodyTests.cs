using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Bodies at the edges of the gRPC message limits.</summary>
public sealed class LargeBodyTests
{
    [Fact]
    public async Task Process_BufferedBodyOverGrpcDefault4MB_IsReceivedAndRouted()
    {
        // The server's message timeout matches the filter's (60 s): counting 5 MB is not cut at the default's 180 ms.
        await using var server = await TestExtProcServer.StartAsync("", "--processing:messageTimeoutMs=60000");

        // Envoy's buffer raised to 16 MiB, as the docs tell operators to: the one body message is then about 5 MB.
        var config = ExtProcChannels.Buffered with { BufferLimitBytes = 16 << 20, MessageTimeout = TimeSpan.FromSeconds(60) };
        var body = InferenceBodies.Completion(string.Concat(Enumerable.Repeat("hello world ", 420_000)));

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", body, chunkSize: 65_536)));

        Assert.True(body.Length > 4 << 20);
        Assert.Null(result.LocalReply);
        Assert.Equal("llm-large", result.Forwarded!.Headers["x-ai-pool"]);
    }

    [Fact]
    public async Task Process_InferencePostWithOnlyAnEmptyDataFrame_Returns400()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var request = new DownstreamRequest { Method = "POST", Path = "/v1/completions", BodyChunks = [[]] };

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        Assert.True(Assert.Single(result.Sent, m => m.RequestBody is not null).RequestBody.EndOfStream);
        ApiErrorBody.Read(result, 400);
    }
}
