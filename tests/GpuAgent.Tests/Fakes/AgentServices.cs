using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Sampling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiSidecar.GpuAgent.Tests.Fakes;

/// <summary>The agent's real services over the fake NVML library, without a web host; sampling is driven by the test.</summary>
internal sealed class AgentServices : IAsyncDisposable, IDisposable
{
    /// <summary>
    /// The NVML call timeout unless a test sets one: a guard that no read reaches on a slow machine. Tests about
    /// timeouts set their own and run the agent on a <see cref="WaitedClock"/>, which times waits out only when advanced.
    /// </summary>
    public const string GuardCallTimeout = "00:01:00";

    private readonly ServiceProvider _provider;

    /// <param name="settings">Configuration over the defaults below.</param>
    /// <param name="time">The clock the agent runs on (a <see cref="WaitedClock"/> where a test times waits out); the system clock by default.</param>
    public AgentServices(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["GpuAgent:NodeName"] = "node-a",
            ["GpuAgent:PoolLabels:pool"] = "h100",
            ["GpuAgent:Nvml:LibraryPath"] = FakeNvml.LibraryPath,
            ["GpuAgent:Nvml:CallTimeout"] = GuardCallTimeout,
            ["GpuAgent:PodResources:SocketPath"] = "/nonexistent/kubelet.sock",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddGpuAgent();
        _provider = services.BuildServiceProvider();
    }

    public GpuSampler Sampler => _provider.GetRequiredService<GpuSampler>();

    public SnapshotHub Hub => _provider.GetRequiredService<SnapshotHub>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>Samples once and returns the published snapshot.</summary>
    public async Task<NodeSnapshot> SampleAsync()
    {
        await Sampler.SampleOnceAsync(CancellationToken.None);
        return Hub.Latest;
    }

    /// <summary>Stops the sampler (and its XID thread) so that no thread outlives the test.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await Sampler.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }
}
