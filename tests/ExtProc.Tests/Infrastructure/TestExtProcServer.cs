using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>The real server, started from a YAML config on free loopback ports, with a gRPC channel and an HTTP client.</summary>
public sealed class TestExtProcServer : IAsyncDisposable
{
    private readonly string _configPath;
    private bool _stopped;

    private TestExtProcServer(WebApplication app, string configPath, BoundEndpoints endpoints)
    {
        App = app;
        _configPath = configPath;
        GrpcUri = endpoints.GrpcUri;
        Channel = ExtProcChannels.Create(GrpcUri);
        Http = new HttpClient { BaseAddress = endpoints.HttpUri };
    }

    public WebApplication App { get; }

    /// <summary>The config file the server was started with (tests rewrite it to exercise reloads).</summary>
    public string ConfigPath => _configPath;

    public Uri GrpcUri { get; }

    public GrpcChannel Channel { get; }

    public HttpClient Http { get; }

    /// <summary>Starts the server; <paramref name="yaml"/> is the config file's text, <paramref name="args"/> extra overrides.</summary>
    public static Task<TestExtProcServer> StartAsync(string yaml = "", params string[] args) => StartAsync(yaml, null, args);

    /// <summary>Starts the server with <paramref name="configure"/> adding services (test stages) to the server's own.</summary>
    public static async Task<TestExtProcServer> StartAsync(string yaml, Action<IServiceCollection>? configure, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"extproc-test-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml.Length > 0 ? yaml : "tokenization:\n  encoding: o200k_base\n");
        string[] overrides =
        [
            "--server:grpcAddress=127.0.0.1", "--server:grpcPort=0",
            "--server:httpAddress=127.0.0.1", "--server:httpPort=0",
            "--Logging:LogLevel:Default=Warning", .. args,
        ];
        if (!ConfigLoader.TryLoad(new ConfigSources(path, overrides), out var loaded, out var errors))
        {
            throw new InvalidOperationException("The test server's config is invalid:\n" + string.Join("\n", errors));
        }

        var app = ExtProcApplication.Build(loaded!, configure);
        await app.StartAsync();
        var server = new TestExtProcServer(app, path, app.Services.GetRequiredService<BoundEndpoints>());
        await server.Channel.ConnectAsync();
        return server;
    }

    /// <summary>An Envoy-faithful client; without a config, <see cref="ExtProcChannels.Buffered"/>.</summary>
    public EnvoyExtProcClient Client(EnvoyFilterConfig? config = null) => new(Channel, config ?? ExtProcChannels.Buffered);

    /// <summary>Starts a graceful stop (drain) without disposing.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await App.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        if (!_stopped)
        {
            await App.StopAsync();
        }

        await App.DisposeAsync();
        File.Delete(_configPath);
    }
}
