using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.Testing;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>The real server, started from a YAML config on free loopback ports, with a gRPC channel and an HTTP client.</summary>
public sealed class TestExtProcServer : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private TestExtProcServer(LoopbackHost host, string configPath)
    {
        _host = host;
        ConfigPath = configPath;
    }

    public WebApplication App => _host.App;

    /// <summary>The config file the server was started with (tests rewrite it to exercise reloads).</summary>
    public string ConfigPath { get; }

    public Uri GrpcUri => _host.GrpcUri;

    public GrpcChannel Channel => _host.Channel;

    public HttpClient Http => _host.Http;

    /// <summary>Starts the server; <paramref name="yaml"/> is the config file's text, <paramref name="args"/> extra overrides.</summary>
    public static Task<TestExtProcServer> StartAsync(string yaml = "", params string[] args) => StartAsync(yaml, null, args);

    /// <summary>Starts the server with <paramref name="configure"/> adding services (test stages) to the server's own.</summary>
    public static async Task<TestExtProcServer> StartAsync(string yaml, Action<IServiceCollection>? configure, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"extproc-test-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml.Length > 0 ? yaml : "tokenization:\n  encoding: o200k_base\n");
        try
        {
            var host = await LoopbackHost.StartAsync(ports => ExtProcApplication.Build(Load(path,
            [
                "--server:grpcAddress=127.0.0.1", $"--server:grpcPort={ports.Grpc}",
                "--server:httpAddress=127.0.0.1", $"--server:httpPort={ports.Http}",
                "--Logging:LogLevel:Default=Warning", .. args,
            ]), configure), ExtProcChannels.Create);
            return new TestExtProcServer(host, path);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>An Envoy-faithful client; without a config, <see cref="ExtProcChannels.Buffered"/>.</summary>
    public EnvoyExtProcClient Client(EnvoyFilterConfig? config = null) => new(Channel, config ?? ExtProcChannels.Buffered);

    /// <summary>Starts a graceful stop (drain) without disposing.</summary>
    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(ConfigPath);
    }

    private static LoadedConfig Load(string path, string[] overrides) =>
        ConfigLoader.TryLoad(new ConfigSources(path, overrides), out var loaded, out var errors)
            ? loaded!
            : throw new InvalidOperationException("The test server's config is invalid:\n" + string.Join("\n", errors));
}
