using System.Diagnostics.Metrics;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="PrometheusMeterBridge"/>.</summary>
internal static class PrometheusMeterBridgeServiceCollectionExtensions
{
    /// <summary>
    /// Exports meter <paramref name="meterName"/> of this container's <see cref="IMeterFactory"/> to the
    /// <see cref="CollectorRegistry"/> singleton, which the caller registers; the bridge starts with the host.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="meterName">The meter whose instruments are exported.</param>
    /// <param name="labelNames">Tag keys by instrument name, for families exported before their first measurement.</param>
    public static IServiceCollection AddPrometheusMeterBridge(this IServiceCollection services, string meterName,
        IReadOnlyDictionary<string, string[]>? labelNames = null)
    {
        services.AddMetrics();
        services.TryAddSingleton(sp => new PrometheusMeterBridge(
            sp.GetRequiredService<CollectorRegistry>(), meterName, sp.GetRequiredService<IMeterFactory>(), labelNames,
            sp.GetService<ILogger<PrometheusMeterBridge>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PrometheusMeterBridgeStarter>());
        return services;
    }

    /// <summary>Resolves the bridge when the host starts: nothing else asks for it.</summary>
    private sealed class PrometheusMeterBridgeStarter(PrometheusMeterBridge bridge) : IHostedService
    {
        public PrometheusMeterBridge Bridge { get; } = bridge;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
