using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Gpu;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the GPU side of admission.</summary>
internal static class GpuServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="GpuFleet"/> and the <see cref="GpuAgentWatcher"/> that keeps it current (idle unless
    /// <c>admission.gpuAgents</c> names an agent).
    /// </summary>
    public static IServiceCollection AddGpuFleet(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAddressResolver, DnsAddressResolver>();
        services.TryAddSingleton<GpuFleet>();
        services.AddHostedService<GpuAgentWatcher>();
        return services;
    }
}
