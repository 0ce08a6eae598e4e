using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Tests.Tokenization;

public sealed class TokensCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tokcmd").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_ChatRequestWithQwenConfig_PrintsCountAndRenderedPrompt()
    {
        var config = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(config, $"tokenization:\n  models:\n    - match: [\"qwen3*\"]\n      file: \"{GoldenFiles.ModelFile("qwen3")}\"\n      template: chatml\n");
        var request = Path.Combine(_dir, "body.json");
        await File.WriteAllTextAsync(request, """{"model":"qwen3-8b","messages":[{"role":"user","content":"Hello! How many tokens is this?"}]}""");
        var golden = GoldenFiles.Chat("chatml", "qwen3").Cases.Single(c => c.Id == "single-user");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await TokensCommand.RunAsync(["--request", request, "--config", config], output, error);

        Assert.Equal(0, code);
        Assert.Contains($"prompt tokens: {golden.Count}", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(golden.Rendered!, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("template: chatml", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoRequestFile_PrintsUsage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await TokensCommand.RunAsync(["--model", "m"], output, error));
        Assert.Contains("usage: tokens", error.ToString(), StringComparison.Ordinal);
    }
}
