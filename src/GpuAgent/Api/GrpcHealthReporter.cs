using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Sampling;
using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace AiSidecar.GpuAgent.Api;

/// <summary>Keeps gRPC health in step with NVML: the server is SERVING, the GpuAgent service only while NVML is up.</summary>
internal sealed class GrpcHealthReporter : ISnapshotObserver
{
    /// <summary>The fully qualified service name clients check.</summary>
    public const string ServiceName = "aisidecar.gpuagent.v1.GpuAgent";

    private readonly HealthServiceImpl _health;

    public GrpcHealthReporter(HealthServiceImpl health)
    {
        _health = health;
        _health.SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.Serving);
        _health.SetStatus(ServiceName, HealthCheckResponse.Types.ServingStatus.NotServing);
    }

    public void OnSnapshot(NodeSnapshot snapshot) =>
        _health.SetStatus(
            ServiceName,
            snapshot.NvmlUp ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing);
}
