using System.Text.Json;
using AiSidecar.ExtProc.Commands;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Commands;

public sealed class RouteCommandTests
{
    private static async Task<JsonElement> RouteAsync(string body, params string[] extra)
    {
        var request = CommandRun.TempFile(body, ".json");
        var run = await CommandRun.RunAsync([RouteCommand.Name, "--request", request, "--config", TrafficExamples.ConfigPath, .. extra]);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    [Fact]
    public async Task RunAsync_CompletionsMarkedChat_PrintsTheFullDecision()
    {
        var report = await RouteAsync("""{"model":"qwen3","prompt":"hi","user":"bob"}""", "--header", "x-model-type: chat");

        Assert.Equal(("qwen3-8b", "v2", "canary", "llm-chat"),
            (report.GetProperty("model").GetString(), report.GetProperty("version").GetString(), report.GetProperty("variant").GetString(), report.GetProperty("pool").GetString()));
        Assert.Equal("/v1/chat/completions", report.GetProperty("headersSet").GetProperty(":path").GetString());
        Assert.True(report.GetProperty("promptTokens").GetInt32() > 0);
        Assert.Equal("hi", report.GetProperty("body").GetProperty("messages")[0].GetProperty("content").GetString());
        var contentLength = report.GetProperty("headersSet").GetProperty("content-length").GetString();
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(report.GetProperty("body")).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), contentLength);
    }

    [Fact]
    public async Task RunAsync_DynamicMetadataNamespace_PrintsTheMetadataTheDecisionCarries()
    {
        var report = await RouteAsync("""{"model":"qwen3","max_tokens":32,"messages":[{"role":"user","content":"hi"}]}""",
            "--path", "/v1/chat/completions", "--responses:dynamicMetadataNamespace=ai.sidecar");

        var metadata = report.GetProperty("dynamicMetadata").GetProperty("ai.sidecar");
        Assert.Equal(report.GetProperty("promptTokens").GetInt32(), metadata.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(("qwen3-8b", "llm-chat", 32), (metadata.GetProperty("model").GetString(), metadata.GetProperty("pool").GetString(), metadata.GetProperty("max_tokens").GetInt32()));
    }

    [Fact]
    public async Task RunAsync_NoDynamicMetadataNamespace_PrintsNoMetadata()
    {
        var report = await RouteAsync("""{"model":"qwen3","messages":[{"role":"user","content":"hi"}]}""", "--path", "/v1/chat/completions");

        Assert.False(report.TryGetProperty("dynamicMetadata", out _));
    }

    [Fact]
    public async Task RunAsync_UnknownModel_PrintsTheErrorResponse()
    {
        var report = await RouteAsync("""{"model":"nope","messages":[]}""", "--path", "/v1/chat/completions");

        Assert.Equal((404, "model_not_found"), (report.GetProperty("status").GetInt32(), report.GetProperty("error").GetString()));
        Assert.Equal("model_not_found", report.GetProperty("response").GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RunAsync_MissingRequestFile_ExitsTwo()
    {
        var run = await CommandRun.RunAsync(RouteCommand.Name, "--request", "/nonexistent/request.json");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("route: /nonexistent/request.json: no such file", run.Error.Trim());
    }

    private const string MonitoredConfig = """
        catalogue:
          unknownModels: reject
          pools:
            - name: llama-a
              engine: { kind: vllm, endpoints: [http://a1:8000/metrics] }
            - name: llama-b
              engine: { kind: sglang, endpoints: [http://b1:30000/metrics] }
          models:
            - name: llama
              kvBytesPerToken: 131072
              versions: [{ name: v1, pool: llama-a }]
              overflow: [{ pool: llama-b, servedModel: llama-fp8 }]
        """;

    [Fact]
    public async Task RunAsync_LoadSnapshot_ShowsAdmissionInputsAndTheOverflow()
    {
        var config = CommandRun.TempFile(MonitoredConfig, ".yaml");
        var load = CommandRun.TempFile("""
            pools:
              llama-a:
                endpoints: [{ up: true, ageMs: 100, waiting: 9, running: 4, kvUsage: 0.5, kvCapacityTokens: 100000 }]
              llama-b:
                endpoints: [{ up: true, ageMs: 50, waiting: 0, running: 2, kvUsage: 0.1 }]
            """, ".yaml");
        var request = CommandRun.TempFile("""{"model":"llama","messages":[{"role":"user","content":"hi"}],"max_tokens":100}""", ".json");

        var run = await CommandRun.RunAsync(RouteCommand.Name, "--request", request, "--config", config, "--load", load);

        Assert.True(run.ExitCode == 0, run.Error);
        var report = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(("llama-b", "llama-a"), (report.GetProperty("pool").GetString(), report.GetProperty("overflowFrom").GetString()));
        var admission = report.GetProperty("admission");
        Assert.Equal("overflowed", admission.GetProperty("decision").GetString());
        Assert.Equal(report.GetProperty("promptTokens").GetInt32() + 100, admission.GetProperty("demandTokens").GetInt64());
        var pools = admission.GetProperty("pools");
        Assert.Equal(("queue", 9.0, 0.5), (pools[0].GetProperty("reason").GetString(), pools[0].GetProperty("waitingPerEndpoint").GetDouble(), pools[0].GetProperty("kvUsage").GetDouble()));
        Assert.Equal(100.0, pools[0].GetProperty("telemetryAgeMs").GetDouble(), 0);
        Assert.Equal("headroom", pools[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RunAsync_NoLoadGiven_MonitoredPoolsHaveNoTelemetryAndTheRequestIsShed()
    {
        var config = CommandRun.TempFile(MonitoredConfig, ".yaml");
        var request = CommandRun.TempFile("""{"model":"llama","messages":[{"role":"user","content":"hi"}]}""", ".json");

        var run = await CommandRun.RunAsync(RouteCommand.Name, "--request", request, "--config", config);

        var report = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(429, report.GetProperty("status").GetInt32());
        Assert.Equal("stale_telemetry", report.GetProperty("admission").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RunAsync_LoadSnapshotWithAnUnknownKey_ExitsTwoNamingIt()
    {
        var load = CommandRun.TempFile("pools:\n  llama-a:\n    endpoints: [{ waitng: 3 }]\n", ".yaml");
        var request = CommandRun.TempFile("""{"model":"llama","messages":[]}""", ".json");

        var run = await CommandRun.RunAsync(RouteCommand.Name, "--request", request, "--config", CommandRun.TempFile(MonitoredConfig, ".yaml"), "--load", load);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("waitng", run.Error, StringComparison.Ordinal);
    }
}
