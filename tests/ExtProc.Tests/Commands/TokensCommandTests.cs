using AiSidecar.ExtProc.Commands;
using AiSidecar.ExtProc.Tests.Tokenization;

namespace AiSidecar.ExtProc.Tests.Commands;

public sealed class TokensCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tokcmd").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_ChatRequestWithQwenConfig_PrintsCountAndRenderedPrompt()
    {
        var config = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(config, $"catalogue:\n  models:\n    - name: qwen3-8b\n      tokenizer: {{ file: \"{GoldenFiles.ModelFile("qwen3")}\", template: chatml }}\n");
        var request = Path.Combine(_dir, "body.json");
        await File.WriteAllTextAsync(request, """{"model":"qwen3-8b","messages":[{"role":"user","content":"Hello! How many tokens is this?"}]}""");
        var golden = GoldenFiles.Chat("chatml", "qwen3").Cases.Single(c => c.Id == "single-user");

        var run = await CommandRun.RunAsync(TokensCommand.Name, "--request", request, "--config", config);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"prompt tokens: {golden.Count}", run.Output, StringComparison.Ordinal);
        Assert.Contains(golden.Rendered!, run.Output, StringComparison.Ordinal);
        Assert.Contains("template: chatml", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoRequestOption_IsAUsageError()
    {
        var run = await CommandRun.RunAsync(TokensCommand.Name, "--model", "m");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--request", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingRequestFile_SaysSoInOneLine()
    {
        var run = await CommandRun.RunAsync(TokensCommand.Name, "--request", Path.Combine(_dir, "absent.json"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"tokens: {Path.Combine(_dir, "absent.json")}: no such file", run.Error.Trim());
    }
}
