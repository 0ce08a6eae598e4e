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
    public async Task RunAsync_BrokenRegistry_PrintsEachErrorAtItsLine()
    {
        var config = CommandRun.TempFile("""
            routing:
              registry:
                pools: [{ name: chat }]
                models:
                  - name: m
                    versions:
                      - { name: v1, pool: chat, weight: 90 }
                      - { name: v2, pool: gone, weight: 20, canary: true }
            """);

        var run = await CommandRun.RunAsync(ValidateCommand.Name, "--config", config);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{config}:8:25: routing.registry.models[0].versions[1].pool: 'gone' is not a pool declared", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{config}:6:9: routing.registry.models[0].versions: the weights of 'm' sum to 110", run.Output, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MalformedYaml_PointsAtTheLine()
    {
        var run = await CommandRun.RunAsync(ValidateCommand.Name, "--config", CommandRun.TempFile("routing:\n  ranges: [a\n"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(":3:1: not valid YAML", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OtherSectionOutOfRange_NamesTheKey()
    {
        var run = await CommandRun.RunAsync(ValidateCommand.Name, "--config", CommandRun.TempFile("processing:\n  maxBodyBytes: 0\n"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(":2:3: processing.maxBodyBytes:", run.Output, StringComparison.Ordinal);
    }
}
