using AiSidecar.GpuAgent.Api;
using AiSidecar.GpuAgent.Hosting;
using AiSidecar.GpuAgent.Metrics;
using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.PodResources;
using AiSidecar.GpuAgent.Sampling;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the GPU agent's services.</summary>
internal static class GpuAgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds NVML sampling, the snapshot hub, metrics, pod mapping and their options; the options are the registered
    /// <see cref="AgentOptions"/>, else the <c>GpuAgent</c> section bound strictly (an invalid one throws
    /// <see cref="AiSidecar.Configuration.InvalidConfigurationException"/> when first resolved).
    /// </summary>
    public static IServiceCollection AddGpuAgent(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => AgentConfiguration.ReadOrThrow(sp.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton<IOptions<AgentOptions>>(sp => Microsoft.Extensions.Options.Options.Create(sp.GetRequiredService<AgentOptions>()));
        services.TryAddSingleton<IOptions<NvmlOptions>>(sp => Microsoft.Extensions.Options.Options.Create(sp.GetRequiredService<AgentOptions>().Nvml));
        services.TryAddSingleton<IOptions<SamplingOptions>>(sp => Microsoft.Extensions.Options.Options.Create(sp.GetRequiredService<AgentOptions>().Sampling));
        services.TryAddSingleton<IOptions<XidOptions>>(sp => Microsoft.Extensions.Options.Options.Create(sp.GetRequiredService<AgentOptions>().Xid));
        services.TryAddSingleton<IOptions<PodResourcesOptions>>(sp => Microsoft.Extensions.Options.Options.Create(sp.GetRequiredService<AgentOptions>().PodResources));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.TryAddSingleton<AgentMetrics>();
        services.TryAddSingleton<INvml, NvmlBinding>();
        services.TryAddSingleton<XidTracker>();
        services.TryAddSingleton<XidWatcher>();
        services.TryAddSingleton<DeviceReader>();
        services.TryAddSingleton<PodDeviceMap>();
        services.TryAddSingleton<PodResourcesClient>();
        services.TryAddSingleton<NodeSnapshotAssembler>();
        services.TryAddSingleton<SnapshotHub>();
        services.TryAddSingleton<HealthServiceImpl>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISnapshotObserver, DcgmMetrics>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISnapshotObserver, GrpcHealthReporter>());
        services.TryAddSingleton<GpuSampler>();
        services.TryAddSingleton<PodResourcesRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<GpuSampler>());
        services.AddHostedService(sp => sp.GetRequiredService<PodResourcesRefresher>());
        services.AddGrpc();
        return services;
    }
}
