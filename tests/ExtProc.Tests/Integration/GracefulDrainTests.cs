using AiSidecar.ExtProc.Health;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>A stream opened before shutdown still completes.</summary>
public sealed class GracefulDrainTests
{
    [Fact]
    public async Task StopAsync_DuringOpenStream_LetsTheStreamComplete()
    {
        await using var server = await TestExtProcServer.StartAsync();
        Task? stopping = null;
        var drainingSeen = false;
        var exchange = HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("drain me"))) with
        {
            // Shutdown starts after the request direction finished and before the response direction runs.
            Upstream = _ =>
            {
                stopping = Task.Run(server.StopAsync);
                drainingSeen = SpinWait.SpinUntil(
                    () => server.App.Services.GetRequiredService<ReadinessState>().IsDraining, TimeSpan.FromSeconds(10));
                return UpstreamResponse.Json("{\"ok\":true}");
            },
        };

        var result = await server.Client().RunAsync(exchange);
        await stopping!;

        Assert.True(drainingSeen);
        Assert.Null(result.LocalReply);
        Assert.NotNull(Assert.Single(result.Received, r => r.ResponseHeaders is not null));
        Assert.Equal("llm-small", result.Forwarded!.Headers["x-ai-pool"]);
    }
}
