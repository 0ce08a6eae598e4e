using AiSidecar.GpuAgent.Api;
using AiSidecar.GpuAgent.Hosting;
using AiSidecar.GpuAgent.Metrics;
using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.PodResources;
using AiSidecar.GpuAgent.Sampling;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the GPU agent's services.</summary>
public static class GpuAgentServiceCollectionExtensions
{
    /// <summary>Adds NVML sampling, the snapshot hub, metrics, pod mapping and their validated options.</summary>
    public static IServiceCollection AddGpuAgent(this IServiceCollection services)
    {
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure(o => o.NodeName = string.IsNullOrWhiteSpace(o.NodeName) ? Environment.MachineName : o.NodeName);
        services.AddOptions<NvmlOptions>().BindConfiguration(NvmlOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SamplingOptions>().BindConfiguration(SamplingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<XidOptions>().BindConfiguration(XidOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PodResourcesOptions>().BindConfiguration(PodResourcesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

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
