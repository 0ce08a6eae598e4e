using AiSidecar.Configuration;
using AiSidecar.GpuAgent.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.GpuAgent.Tests.Hosting;

public sealed class GpuAgentApplicationTests : IDisposable
{
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("gpu-agent-config-").FullName;

    [Fact]
    public async Task RunAsync_NegativePortOnCommandLine_ExitsWithConfigErrorAndNamesTheKey()
    {
        var (code, error) = await RunAsync(["--GpuAgent:GrpcPort=-1"]);

        Assert.Equal(GpuAgentApplication.InvalidConfigurationExitCode, code);
        Assert.Equal(78, code);
        Assert.Equal(
            [
                "command line --GpuAgent:GrpcPort: GpuAgent.GrpcPort: must be from 0 to 65535 (is -1)",
                "gpu-agent: the configuration is invalid (1 issue(s)); exiting with 78.",
            ],
            Lines(error));
        AssertNoStackTrace(error);
    }

    [Fact]
    public async Task RunAsync_IssuesInAppSettings_PrintsFileLineAndColumnInDocumentOrder()
    {
        var path = Write("appsettings.json", """
            {
              "AllowedHosts": "*",
              "GpuAgent": {
                "GrpcPrt": 50052,
                "Sampling": { "Interval": "5" }
              }
            }
            """);

        var (code, error) = await RunAsync(["--GpuAgent:Xid:HoldTime=forever"]);

        Assert.Equal(78, code);
        var lines = Lines(error);
        Assert.Equal(5, lines.Length);
        Assert.Equal($"{path}:2:3: AllowedHosts: unknown key; allowed: GpuAgent, Logging", lines[0]);
        Assert.StartsWith($"{path}:4:5: GpuAgent.GrpcPrt: unknown key (did you mean 'grpcPort'?); allowed: ", lines[1], StringComparison.Ordinal);
        Assert.Equal($"{path}:5:19: GpuAgent.Sampling.Interval: expected a duration like 00:00:05, found '5' (a bare number would be read as days)", lines[2]);
        Assert.Equal("command line --GpuAgent:Xid:HoldTime: GpuAgent.Xid.HoldTime: expected a duration like 00:00:05, found 'forever'", lines[3]);
        AssertNoStackTrace(error);
    }

    [Fact]
    public async Task RunAsync_MalformedJson_ExitsWithConfigErrorWithoutStackTrace()
    {
        var path = Write("appsettings.json", "{\n  \"GpuAgent\": {\n    \"GrpcPort\" 1\n  }\n}\n");

        var (code, error) = await RunAsync([]);

        Assert.Equal(78, code);
        Assert.StartsWith($"{path}:3:16: not valid JSON: ", Lines(error)[0], StringComparison.Ordinal);
        AssertNoStackTrace(error);
    }

    [Fact]
    public async Task RunAsync_BadEnvironmentVariable_NamesTheVariable()
    {
        Environment.SetEnvironmentVariable("GpuAgent__Sampling__Interval", "soon");
        try
        {
            var (code, error) = await RunAsync([]);

            Assert.Equal(78, code);
            Assert.Equal("environment variable GpuAgent__Sampling__Interval: GpuAgent.Sampling.Interval: expected a duration like 00:00:05, found 'soon'", Lines(error)[0]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GpuAgent__Sampling__Interval", null);
        }
    }

    [Fact]
    public async Task RunAsync_UnrelatedEnvironmentVariables_AreNotConfiguration()
    {
        Environment.SetEnvironmentVariable("ASPNETCORE_URLS", "http://+:1");
        Environment.SetEnvironmentVariable("SOME_TOOL__SETTING", "x");
        try
        {
            var (code, error) = await RunAsync(["--GpuAgent:MetricsPort=-5"]);

            Assert.Equal(78, code);
            Assert.Equal("command line --GpuAgent:MetricsPort: GpuAgent.MetricsPort: must be from 0 to 65535 (is -5)", Lines(error)[0]);
            Assert.Equal(2, Lines(error).Length);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_URLS", null);
            Environment.SetEnvironmentVariable("SOME_TOOL__SETTING", null);
        }
    }

    [Fact]
    public void Build_InvalidConfiguration_ThrowsWithTheIssueLines()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => GpuAgentApplication.Build(["--GpuAgent:MetricsAddress=localhost"]));

        Assert.Equal(["command line --GpuAgent:MetricsAddress: GpuAgent.MetricsAddress: must be an IP address such as 0.0.0.0, 127.0.0.1 or :: (is 'localhost')"], error.Lines);
    }

    [Fact]
    public async Task Build_ListenAddresses_KestrelBindsThem()
    {
        var app = GpuAgentApplication.Build(
        [
            "--GpuAgent:GrpcAddress=127.0.0.1",
            "--GpuAgent:GrpcPort=0",
            "--GpuAgent:MetricsAddress=127.0.0.1",
            "--GpuAgent:MetricsPort=0",
            "--GpuAgent:Nvml:LibraryPath=/nonexistent/libnvidia-ml.so.1",
            "--GpuAgent:PodResources:Enabled=false",
            "--GpuAgent:Xid:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await using (app)
        {
            await app.StartAsync();

            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;

            Assert.Equal(2, addresses.Count);
            Assert.All(addresses, a => Assert.StartsWith("http://127.0.0.1:", a, StringComparison.Ordinal));
            await app.StopAsync();
        }
    }

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertNoStackTrace(string error)
    {
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_contentRoot, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<(int Code, string Error)> RunAsync(string[] args)
    {
        using var error = new StringWriter();
        var code = await GpuAgentApplication.RunAsync(new WebApplicationOptions { Args = args, ContentRootPath = _contentRoot }, error);
        return (code, error.ToString());
    }
}
