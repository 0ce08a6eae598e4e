using AiSidecar.ExtProc.Commands;

namespace AiSidecar.ExtProc.Tests.Commands;

/// <summary>The command line: help for the server and each command; anything unknown is an error that never starts a server.</summary>
public sealed class ExtProcCommandLineTests
{
    [Fact]
    public async Task RunAsync_Help_DescribesTheServerAndEveryCommand()
    {
        var run = await CommandRun.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        foreach (var text in new[] { "--config", "tokens", "route", "check", "validate", "--section:key=value" })
        {
            Assert.Contains(text, run.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(TokensCommand.Name, "--request")]
    [InlineData(RouteCommand.Name, "--header")]
    [InlineData(CheckCommand.Name, "--cases")]
    [InlineData(ValidateCommand.Name, "--config")]
    public async Task RunAsync_CommandHelp_ListsItsOptions(string command, string option)
    {
        var run = await CommandRun.RunAsync(command, "--help");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains(option, run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("--grpc-port", "1")]
    [InlineData("validate", "--strict")]
    [InlineData("--server.grpcPort=1")]
    public async Task RunAsync_UnknownCommandOrOption_ExitsTwoWithoutStartingAServer(params string[] args)
    {
        var run = await CommandRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task RunAsync_OverrideAfterACommand_AppliesToItsConfig()
    {
        var run = await CommandRun.RunAsync(ValidateCommand.Name, "--server:grpcPort", "-1");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("command line --server:grpcPort: server.grpcPort:", run.Output, StringComparison.Ordinal);
    }
}
