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
}
