using AiSidecar.ExtProc.Commands;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Commands;

public sealed class CheckCommandTests
{
    [Fact]
    public async Task RunAsync_ShippedExampleCases_AllDecisionsAsExpected()
    {
        // The CI gate for examples/traffic: a change that moves any shipped decision fails here.
        var run = await CommandRun.RunAsync(CheckCommand.Name, "--cases", TrafficExamples.CasesPath);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("as expected, 0 mismatched", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CaseExpectingAnotherVariant_ExitsOneAndShowsTheField()
    {
        var cases = CommandRun.TempFile("""
            cases:
              - name: alice is not canary
                path: /v1/chat/completions
                headers: { x-user-id: alice }
                body: { model: qwen3, messages: [{ role: user, content: hi }] }
                expect: { variant: canary }
            """);

        var run = await CommandRun.RunAsync(CheckCommand.Name, "--cases", cases, "--config", TrafficExamples.ConfigPath);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL alice is not canary", run.Output, StringComparison.Ordinal);
        Assert.Contains("variant: expected canary, got stable", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidConfig_Exits78WithTheErrors()
    {
        var config = CommandRun.TempFile(File.ReadAllText(TrafficExamples.ConfigPath).Replace("weight: 10", "weight: 15", StringComparison.Ordinal));

        var run = await CommandRun.RunAsync(CheckCommand.Name, "--cases", TrafficExamples.CasesPath, "--config", config);

        Assert.Equal(ExitCodes.InvalidConfig, run.ExitCode);
        Assert.Contains("sum to 105", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoCasesOption_PrintsUsage()
    {
        var run = await CommandRun.RunAsync(CheckCommand.Name);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--cases", run.Error, StringComparison.Ordinal);
        Assert.Contains("check --help", run.Error, StringComparison.Ordinal);
    }
}
