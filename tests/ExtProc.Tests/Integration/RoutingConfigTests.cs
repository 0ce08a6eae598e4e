using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Routing configuration: header names, and catalogue models without versions.</summary>
public sealed class RoutingConfigTests
{
    [Fact]
    public async Task Process_CustomHeaderNames_AreUsed()
    {
        const string yaml = """
            routing:
              headers: { model: x-m, promptTokens: x-t, tokenRange: x-r, pool: x-p }
            """;
        await using var server = await TestExtProcServer.StartAsync(yaml);

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hi"))));

        var headers = result.Forwarded!.Headers;
        Assert.Equal("gpt-4o", headers["x-m"]);
        Assert.Equal("small", headers["x-r"]);
        Assert.Equal("llm-small", headers["x-p"]);
        Assert.NotNull(headers["x-t"]);
        Assert.Null(headers["x-ai-pool"]);
    }

    [Fact]
    public async Task Process_CatalogueModelWithoutVersions_IsRoutedByRange()
    {
        await using var server = await TestExtProcServer.StartAsync("catalogue:\n  unknownModels: reject\n  models: [{ name: gpt-4o }, { name: llama-3 }]\n");

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi", "llama-3"))));

        Assert.Equal("llama-3", result.Forwarded!.Headers["x-ai-model"]);
    }
}
