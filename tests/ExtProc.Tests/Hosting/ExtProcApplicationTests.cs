using System.Net;
using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tests.Hosting;

public sealed class ExtProcApplicationTests
{
    private static readonly string[] FreePorts = ["--server:grpcAddress=127.0.0.1", "--server:grpcPort=0", "--server:httpAddress=127.0.0.1", "--server:httpPort=0"];

    private static string WriteConfig(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"extproc-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task Build_EmbeddedDefault_EqualsBuiltInDefaults()
    {
        await using var app = ExtProcApplication.Build([]);

        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var routing = app.Services.GetRequiredService<IOptions<RoutingOptions>>().Value;
        var defaults = new ServerOptions();
        Assert.Equal((defaults.GrpcPort, defaults.HttpPort, defaults.MaxReceiveMessageBytes, defaults.MaxConcurrentStreams),
            (server.GrpcPort, server.HttpPort, server.MaxReceiveMessageBytes, server.MaxConcurrentStreams));
        Assert.Equal(new ProcessingOptions().MaxBodyBytes, app.Services.GetRequiredService<IOptions<ProcessingOptions>>().Value.MaxBodyBytes);
        Assert.Equal("o200k_base", app.Services.GetRequiredService<IOptions<TokenizationOptions>>().Value.Encoding);
        Assert.Equal(
            RoutingOptions.DefaultRanges().Select(r => (r.Name, r.MaxTokens, r.Pool)),
            routing.Ranges.Select(r => (r.Name, r.MaxTokens, r.Pool)));
        Assert.Equal(new RoutingHeaderNames().All, routing.Headers.All);
    }

    [Fact]
    public async Task Build_ConfigFileWithTwoRanges_ReplacesDefaultRangesWhole()
    {
        var path = WriteConfig("routing:\n  ranges:\n    - {name: short, maxTokens: 10, pool: a}\n    - {name: long, pool: b}\n");

        await using var app = ExtProcApplication.Build(["--config", path]);

        var ranges = app.Services.GetRequiredService<IOptions<RoutingOptions>>().Value.Ranges;
        Assert.Equal(["short", "long"], ranges.Select(r => r.Name));
    }

    [Fact]
    public void Build_MissingConfigFile_NamesTheFile()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ExtProcApplication.Build(["--config=/nonexistent/extproc.yaml"]));

        Assert.Contains("/nonexistent/extproc.yaml", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("routing:\n  ranges:\n    - {name: a, maxTokens: 10, pool: p}\n", "routing.ranges[0].maxTokens")]
    [InlineData("processing:\n  maxBodyBytes: 0\n", "MaxBodyBytes")]
    [InlineData("tokenization:\n  encoding: p50k\n", "Encoding")]
    [InlineData("processing:\n  maxBodyBytes: 33554432\n", "maxReceiveMessageBytes")]
    [InlineData("routing:\n  registry:\n    pools: [{name: p}]\n    models:\n      - name: m\n        versions:\n          - {name: a, pool: p, weight: 60}\n          - {name: b, pool: q, weight: 30, canary: true}\n", "routing.registry.models[0].versions[1].pool")]
    [InlineData("routing:\n  registry:\n    pools: [{name: p}]\n    models:\n      - name: m\n        versions:\n          - {name: a, pool: p, weight: 60}\n          - {name: b, pool: p, weight: 30, canary: true}\n", "sum to 90")]
    public async Task StartAsync_InvalidConfig_FailsNamingTheKey(string yaml, string key)
    {
        var path = WriteConfig(yaml);

        // Listener options are checked while the server is built, the other sections when it starts.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = ExtProcApplication.Build(["--config", path, .. FreePorts]);
            await app.StartAsync();
        });

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PortsZero_ServesProbesOnHttpListenerOnly()
    {
        await using var app = ExtProcApplication.Build(FreePorts);
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
