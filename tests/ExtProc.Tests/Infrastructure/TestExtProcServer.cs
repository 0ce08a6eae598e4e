using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.Testing;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

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
    public static async Task<TestExtProcServer> StartAsync(string yaml = "", params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"extproc-test-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml.Length > 0 ? yaml : "tokenization:\n  encoding: o200k_base\n");
        try
        {
            var host = await LoopbackHost.StartAsync(ports => ExtProcApplication.Build(
            [
                "--config", path,
                "--server:grpcAddress=127.0.0.1", $"--server:grpcPort={ports.Grpc}",
                "--server:httpAddress=127.0.0.1", $"--server:httpPort={ports.Http}",
                "--Logging:LogLevel:Default=Warning", .. args,
            ]), ExtProcChannels.Create);
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
}
