using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AiSidecar.ExtProc.Tests.Admission.Priority;

/// <summary>The priority class through the real server and an Envoy-faithful client: the owned header upstream sees, and what is counted.</summary>
public sealed class PriorityStageTests
{
    private const string ApiKey = "sk-batch-7f3a9c";

    private static readonly string KeyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ApiKey)));

    private static readonly string Config =
        "admission:\n  priority:\n    trustedCallers: [ \"spiffe://cluster.local/ns/batch/sa/*\" ]\n    apiKeys: { " + KeyHash + ": sheddable }\n";

    private static DownstreamRequest Chat(params (string Name, string Value)[] headers)
    {
        var list = new HttpHeaderList();
        foreach (var (name, value) in headers)
        {
            list.Add(name, value);
        }

        return DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi")) with { Headers = list };
    }

    [Fact]
    public async Task Process_TrustedCallerAsksCritical_ForwardsOneServerPriorityHeader()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);
        var request = Chat(
            ("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/llm/sa/gw;URI=spiffe://cluster.local/ns/batch/sa/nightly"),
            ("x-priority", "critical"),
            ("x-ai-priority", "sheddable"));

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        Assert.Equal(["critical"], result.Forwarded!.Headers.GetAll("x-ai-priority"));
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(server.App.Services, "extproc_priority_requests_total{priority=\"critical\",source=\"header\"}"));
    }

    [Fact]
    public async Task Process_UntrustedCallerAsksCritical_IsStandardAndCountedAsIgnored()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);
        var request = Chat(("x-forwarded-client-cert", "URI=spiffe://cluster.local/ns/web/sa/frontend"), ("x-priority", "critical"), ("x-ai-priority", "critical"));
        const string Standard = "extproc_priority_requests_total{priority=\"standard\",source=\"default\"}";
        var before = await ScrapedMetrics.ValueAsync(server.App.Services, Standard);

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        Assert.Equal(["standard"], result.Forwarded!.Headers.GetAll("x-ai-priority"));
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(server.App.Services, "extproc_priority_ignored_total{reason=\"untrusted\"}"));
        Assert.Equal(before + 1, await ScrapedMetrics.ValueAsync(server.App.Services, Standard));
    }

    [Fact]
    public async Task Process_ApiKeyInTheMap_IsItsClassAndTheKeyIsNeitherLoggedNorExported()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await TestExtProcServer.StartAsync(Config, s => s.AddSingleton<ILoggerProvider>(logs), "--Logging:LogLevel:Default=Trace");

        var result = await server.Client().RunAsync(HttpExchange.For(Chat(("authorization", "Bearer " + ApiKey))));

        Assert.Equal(["sheddable"], result.Forwarded!.Headers.GetAll("x-ai-priority"));
        var scrape = await PrometheusText.ScrapeAsync(server.App.Services.GetRequiredService<CollectorRegistry>());
        Assert.Equal(1, PrometheusText.Value(scrape, "extproc_priority_requests_total{priority=\"sheddable\",source=\"api_key\"}"));
        Assert.DoesNotContain(ApiKey, scrape, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(ApiKey, StringComparison.Ordinal));
    }
}
