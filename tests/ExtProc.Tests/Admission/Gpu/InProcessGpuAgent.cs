extern alias gpuagent;

using AiSidecar.GpuAgent.Tests.Fakes;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using GpuAgentApplication = gpuagent::AiSidecar.GpuAgent.Hosting.GpuAgentApplication;
using GpuSampler = gpuagent::AiSidecar.GpuAgent.Sampling.GpuSampler;
using XidTracker = gpuagent::AiSidecar.GpuAgent.Sampling.XidTracker;

namespace AiSidecar.ExtProc.Tests.Admission.Gpu;

/// <summary>
/// The real GPU agent (Kestrel, gRPC Watch) in-process on the fake NVML library, on a loopback address and port.
/// Sampling runs once at start and then only when the test calls <see cref="SampleAsync"/>: each sample is one Watch update.
/// </summary>
internal sealed class InProcessGpuAgent : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private InProcessGpuAgent(LoopbackHost host, string address)
    {
        _host = host;
        Address = address;
    }

    /// <summary><c>host:port</c> of its gRPC listener.</summary>
    public string Address { get; }

    public LoopbackPorts Ports => _host.Ports;

    /// <summary>Starts an agent named <paramref name="node"/> on <paramref name="ip"/> (any 127.x.y.z), on <paramref name="ports"/> or free ones.</summary>
    public static async Task<InProcessGpuAgent> StartAsync(string node = "node-a", string ip = "127.0.0.1", LoopbackPorts? ports = null, string poolLabel = "h100")
    {
        var chosen = ports ?? LoopbackPorts.Pick();
        var app = GpuAgentApplication.Build(
        [
            $"--GpuAgent:GrpcAddress={ip}",
            $"--GpuAgent:GrpcPort={chosen.Grpc}",
            $"--GpuAgent:MetricsAddress={ip}",
            $"--GpuAgent:MetricsPort={chosen.Http}",
            $"--GpuAgent:NodeName={node}",
            $"--GpuAgent:PoolLabels:pool={poolLabel}",
            $"--GpuAgent:Nvml:LibraryPath={FakeNvml.LibraryPath}",
            "--GpuAgent:Nvml:CallTimeout=00:01:00",
            "--GpuAgent:Sampling:Interval=01:00:00",
            "--GpuAgent:PodResources:SocketPath=/nonexistent/kubelet.sock",
            "--Logging:LogLevel:Default=Warning",
        ]);
        var host = await LoopbackHost.StartAsync(app, chosen, uri => Grpc.Net.Client.GrpcChannel.ForAddress(new UriBuilder(uri) { Host = ip }.Uri));
        var agent = new InProcessGpuAgent(host, $"{ip}:{chosen.Grpc}");
        await agent.SampleAsync();
        return agent;
    }

    /// <summary>Reads the fake GPUs and publishes the snapshot to every Watch stream.</summary>
    public Task SampleAsync() => _host.App.Services.GetRequiredService<GpuSampler>().SampleOnceAsync(CancellationToken.None);

    /// <summary>Waits until the agent's XID thread has recorded an XID for the GPU at <paramref name="index"/>.</summary>
    public Task XidRecordedAsync(uint index)
    {
        var tracker = _host.App.Services.GetRequiredService<XidTracker>();
        return Until.TrueAsync(() => tracker.ForDevice(index).Count > 0, $"an XID recorded on GPU {index}");
    }

    /// <summary>Stops at once: open Watch streams are cut, as when the agent's pod dies.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(new CancellationToken(canceled: true));
        await _host.DisposeAsync();
    }
}
