using System.Net;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.GpuAgent.Tests.Fakes;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tests.Admission.Gpu;

/// <summary>The server's GPU services (<c>AddGpuFleet</c>: fleet and watcher) with the server's metrics, on a <see cref="WaitedClock"/> and a scripted resolver.</summary>
internal sealed class GpuWatcherHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly GpuAgentWatcher _watcher;

    private GpuWatcherHarness(ServiceProvider provider, WaitedClock clock, ScriptedResolver resolver)
    {
        _provider = provider;
        _watcher = provider.GetServices<IHostedService>().OfType<GpuAgentWatcher>().Single();
        Clock = clock;
        Resolver = resolver;
    }

    public WaitedClock Clock { get; }

    public GpuAgentWatcher Watcher => _watcher;

    public ScriptedResolver Resolver { get; }

    public GpuFleet Fleet => _provider.GetRequiredService<GpuFleet>();

    /// <summary>The services (the metrics registry among them).</summary>
    public IServiceProvider Services => _provider;

    /// <summary>Starts the watcher on <paramref name="agents"/>; the service (if any) first resolves to <paramref name="resolved"/>.</summary>
    public static async Task<GpuWatcherHarness> StartAsync(GpuAgentsOptions agents, params string[] resolved)
    {
        var services = new ServiceCollection();
        var clock = new WaitedClock();
        var resolver = new ScriptedResolver();
        resolver.Set(resolved);
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IAddressResolver>(resolver);
        services.AddSingleton(Options.Create(new AdmissionOptions { GpuAgents = agents }));
        services.AddLogging();
        services.AddExtProcTelemetry(new AiSidecar.ExtProc.Telemetry.TelemetryOptions());
        services.AddGpuFleet();
        var harness = new GpuWatcherHarness(services.BuildServiceProvider(), clock, resolver);
        await harness._watcher.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>The agent at <paramref name="address"/> as the fleet holds it now, or null.</summary>
    public GpuAgentState? Agent(string address) => Fleet.Current.Agents.GetValueOrDefault(address);

    /// <summary>Waits until the fleet's agent at <paramref name="address"/> satisfies <paramref name="condition"/>; returns that state.</summary>
    public async Task<GpuAgentState> UntilAgentAsync(string address, Func<GpuAgentState, bool> condition, string what)
    {
        GpuAgentState? seen = null;
        await Until.TrueAsync(() => (seen = Agent(address)) is { } agent && condition(agent), $"{address}: {what}");
        return seen!;
    }

    public async ValueTask DisposeAsync()
    {
        await _watcher.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }

    /// <summary>An <see cref="IAddressResolver"/> answering with whatever the test set last.</summary>
    internal sealed class ScriptedResolver : IAddressResolver
    {
        private volatile IPAddress[] _addresses = [];

        public int Calls;

        public void Set(params string[] addresses) => _addresses = [.. addresses.Select(IPAddress.Parse)];

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellation)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(_addresses);
        }
    }
}
