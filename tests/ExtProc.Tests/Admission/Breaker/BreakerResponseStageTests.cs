using AiSidecar.ExtProc.Admission.Breaker;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Admission.Breaker;

/// <summary>The breaker fed by real response phases: the server, and an Envoy-faithful client whose upstream answers as scripted.</summary>
public sealed class BreakerResponseStageTests
{
    private const string Config = "admission:\n  breaker:\n    failures: 3\n    openSeconds: 30\n    halfOpenProbes: 1\n";

    private static Task<ExchangeResult> SendAsync(TestExtProcServer server, int status) =>
        server.Client().RunAsync(HttpExchange.For(
            DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi")),
            UpstreamResponse.Json("{\"error\":{\"message\":\"engine down\"}}", status)));

    [Fact]
    public async Task Process_ScriptedServerErrorStorm_OpensThePoolsBreaker()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);

        for (var i = 0; i < 3; i++)
        {
            var result = await SendAsync(server, i == 1 ? 502 : 503);
            Assert.Equal("llm-small", result.Forwarded!.Headers["x-ai-pool"]);
        }

        var services = server.App.Services;
        Assert.Equal(BreakerState.Open, services.GetRequiredService<PoolBreakers>().StateOf("llm-small"));
        Assert.Equal(2, await ScrapedMetrics.ValueAsync(services, "extproc_breaker_state{pool=\"llm-small\"}"));
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(services, "extproc_breaker_transitions_total{pool=\"llm-small\",state=\"open\"}"));
        Assert.Equal(3, await ScrapedMetrics.ValueAsync(services, "extproc_breaker_outcomes_total{pool=\"llm-small\",outcome=\"failure\"}"));
    }

    [Fact]
    public async Task Process_ErrorsBrokenBySuccessesAndEngineLoad_KeepTheBreakerClosed()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);

        foreach (var status in new[] { 503, 503, 429, 500, 500, 200, 504, 503 })
        {
            await SendAsync(server, status);
        }

        var services = server.App.Services;
        Assert.Equal(BreakerState.Closed, services.GetRequiredService<PoolBreakers>().StateOf("llm-small"));
        Assert.Equal(0, await ScrapedMetrics.ValueAsync(services, "extproc_breaker_state{pool=\"llm-small\"}"));
        Assert.Equal(2, await ScrapedMetrics.ValueAsync(services, "extproc_breaker_outcomes_total{pool=\"llm-small\",outcome=\"success\"}"));
    }
}
