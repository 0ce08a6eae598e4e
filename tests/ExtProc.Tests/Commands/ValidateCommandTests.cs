using AiSidecar.ExtProc.Commands;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Commands;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task RunAsync_ShippedExampleConfig_IsValid()
    {
        var run = await CommandRun.RunAsync(ValidateCommand.Name, "--config", TrafficExamples.ConfigPath);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.EndsWith(": valid", run.Output.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EmbeddedDefault_IsValid()
    {
        var run = await CommandRun.RunAsync(ValidateCommand.Name);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("(embedded default): valid", run.Output.TrimEnd());
    }

    [Fact]
    public async Task RunAsync_BrokenCatalogue_PrintsEachErrorAtItsLine()
    {
        var config = CommandRun.TempFile("""
            catalogue:
              pools: [{ name: chat }]
              models:
                - name: m
                  versions:
                    - { name: v1, pool: chat, weight: 90 }
                    - { name: v2, pool: gone, weight: 20, canary: true }
            """);

        var run = await CommandRun.RunAsync(ValidateCommand.Name, "--config", config);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains($"{config}:7:23: catalogue.models[0].versions[1].pool: 'gone' is not a pool declared", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{config}:5:7: catalogue.models[0].versions: the weights of 'm' sum to 110", run.Output, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MalformedYaml_PointsAtTheLine()
    {
        var run = await CommandRun.RunAsync(ValidateCommand.Name, "--config", CommandRun.TempFile("catalogue:\n  ranges: [a\n"));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Matches(@":3:1: .*", run.Output.Split('\n')[0]);
    }

    [Fact]
    public async Task RunAsync_OtherSectionOutOfRange_NamesTheKey()
    {
        var run = await CommandRun.RunAsync(ValidateCommand.Name, "--config", CommandRun.TempFile("processing:\n  maxBodyBytes: 0\n"));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains(":2:3: processing.maxBodyBytes:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingFile_SaysSoInOneLine()
    {
        var run = await CommandRun.RunAsync(ValidateCommand.Name, "--config", "/nonexistent/config.yaml");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.StartsWith("/nonexistent/config.yaml: cannot be read: no such file", run.Output, StringComparison.Ordinal);
    }
}
