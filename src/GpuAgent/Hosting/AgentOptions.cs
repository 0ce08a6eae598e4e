using System.ComponentModel.DataAnnotations;
using AiSidecar.Configuration;
using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.PodResources;
using AiSidecar.GpuAgent.Sampling;

namespace AiSidecar.GpuAgent.Hosting;

/// <summary>
/// The agent's configuration section <c>GpuAgent</c>: node identity, listeners, and the <c>Nvml</c>, <c>Sampling</c>,
/// <c>Xid</c> and <c>PodResources</c> subsections, bound and checked as one tree so every key is known.
/// </summary>
internal sealed class AgentOptions : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "GpuAgent";

    /// <summary>Node name put on snapshots and the <c>hostname</c> label. Default: the machine name (set it from the downward API).</summary>
    public string NodeName { get; set; } = string.Empty;

    /// <summary>Labels that name this node's pool (for example <c>pool=a100-80g</c>), copied onto every snapshot. Default none.</summary>
    public Dictionary<string, string> PoolLabels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>IP address the gRPC listener binds to. Default <c>0.0.0.0</c> (every IPv4 interface); <c>::</c> takes IPv6 and IPv4.</summary>
    [Required]
    [IPAddress]
    public string GrpcAddress { get; set; } = "0.0.0.0";

    /// <summary>gRPC (HTTP/2 cleartext) port. Default 50052.</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 50052;

    /// <summary>IP address the metrics and probes listener binds to. Default <c>0.0.0.0</c>.</summary>
    [Required]
    [IPAddress]
    public string MetricsAddress { get; set; } = "0.0.0.0";

    /// <summary>HTTP port for <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>. Default 9400 (dcgm-exporter's).</summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; } = 9400;

    /// <summary>How the agent finds and calls NVML (subsection <c>Nvml</c>).</summary>
    public NvmlOptions Nvml { get; set; } = new();

    /// <summary>How often devices are read (subsection <c>Sampling</c>).</summary>
    public SamplingOptions Sampling { get; set; } = new();

    /// <summary>XID event handling (subsection <c>Xid</c>).</summary>
    public XidOptions Xid { get; set; } = new();

    /// <summary>Kubelet pod-resources lookups (subsection <c>PodResources</c>).</summary>
    public PodResourcesOptions PodResources { get; set; } = new();

    /// <summary>The two listeners cannot share a port (0 picks a free port for each).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (GrpcPort != 0 && GrpcPort == MetricsPort)
        {
            yield return new ValidationResult($"must differ from grpcPort ({GrpcPort}): the gRPC and metrics listeners need a port each", [nameof(MetricsPort)]);
        }
    }
}
