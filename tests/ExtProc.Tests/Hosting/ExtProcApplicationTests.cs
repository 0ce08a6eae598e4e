using System.Net;
using System.Text.Json;
using AiSidecar.ExtProc.Commands;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Tests.Commands;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Hosting;

public sealed class ExtProcApplicationTests
{
    private static readonly string[] FreePorts = ["--server:grpcAddress=127.0.0.1", "--server:grpcPort=0", "--server:httpAddress=127.0.0.1", "--server:httpPort=0"];

    [Fact]
    public void Load_EmbeddedDefault_EqualsBuiltInDefaultsSectionBySection()
    {
        Assert.True(ConfigLoader.TryLoad(new ConfigSources(null, []), out var loaded, out var errors), string.Join("\n", errors));

        var defaults = ServerConfig.Defaults();
        object[] expected = [defaults.Server, defaults.Processing, defaults.Inspection, defaults.Tokenization, defaults.Routing, defaults.Catalogue, defaults.Telemetry];
        object[] actual = [loaded!.Config.Server, loaded.Config.Processing, loaded.Config.Inspection, loaded.Config.Tokenization, loaded.Config.Routing, loaded.Config.Catalogue, loaded.Config.Telemetry];
        Assert.Equal(expected.Select(o => JsonSerializer.Serialize(o)), actual.Select(o => JsonSerializer.Serialize(o)));
    }

    [Fact]
    public void Load_ConfigFileWithTwoRanges_ReplacesDefaultRangesWhole()
    {
        var config = TestConfigs.Load("catalogue:\n  ranges:\n    - {name: short, maxTokens: 10, pool: a}\n    - {name: long, pool: b}\n");

        Assert.Equal(["short", "long"], config.Config.Catalogue.Ranges.Select(r => r.Name));
    }

    [Fact]
    public async Task Run_MissingConfigFile_Exits78NamingTheFileInOneLine()
    {
        var run = await CommandRun.RunAsync("--config=/nonexistent/extproc.yaml");

        Assert.Equal(ExitCodes.InvalidConfig, run.ExitCode);
        Assert.StartsWith("/nonexistent/extproc.yaml: cannot be read:", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("catalogue:\n  ranges:\n    - {name: a, maxTokens: 10, pool: p}\n", "catalogue.ranges[0].maxTokens")]
    [InlineData("processing:\n  maxBodyBytes: 0\n", "processing.maxBodyBytes")]
    [InlineData("tokenization:\n  encoding: p50k\n", "tokenization.encoding")]
    [InlineData("processing:\n  maxBodyBytes: 33554432\n", "server.maxReceiveMessageBytes")]
    [InlineData("catalogue:\n  pools: [{name: p}]\n  models:\n    - name: m\n      versions:\n        - {name: a, pool: p, weight: 60}\n        - {name: b, pool: q, weight: 30, canary: true}\n", "catalogue.models[0].versions[1].pool")]
    [InlineData("catalogue:\n  pools: [{name: p}]\n  models:\n    - name: m\n      versions:\n        - {name: a, pool: p, weight: 60}\n        - {name: b, pool: p, weight: 30, canary: true}\n", "sum to 90")]
    public async Task Run_InvalidConfig_Exits78NamingTheKeyWithoutAStackTrace(string yaml, string key)
    {
        var run = await CommandRun.RunAsync(["--config", CommandRun.TempFile(yaml), .. FreePorts]);

        Assert.Equal(ExitCodes.InvalidConfig, run.ExitCode);
        Assert.Contains(key, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.EndsWith("nothing was run.", run.Error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PortsZero_ServesProbesOnHttpListenerOnly()
    {
        await using var app = ExtProcApplication.Build(TestConfigs.Load("", FreePorts));
        await app.StartAsync();
        var endpoints = app.Services.GetRequiredService<BoundEndpoints>();
        using var http = new HttpClient();
        using var h2c = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var onHttp = await http.GetAsync(new Uri(endpoints.HttpUri, "/readyz"));
        var onGrpc = await h2c.GetAsync(new Uri(endpoints.GrpcUri, "/readyz"));

        Assert.Equal(HttpStatusCode.OK, onHttp.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onGrpc.StatusCode);
        Assert.NotEqual(endpoints.GrpcUri.Port, endpoints.HttpUri.Port);
        await app.StopAsync();
    }
}
