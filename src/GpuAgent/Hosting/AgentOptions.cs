using System.ComponentModel.DataAnnotations;

namespace AiSidecar.GpuAgent.Hosting;

/// <summary>Node identity and listeners (configuration section <c>GpuAgent</c>).</summary>
public sealed class AgentOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "GpuAgent";

    /// <summary>Node name put on snapshots and the <c>hostname</c> label. Default: the machine name (set it from the downward API).</summary>
    public string NodeName { get; set; } = string.Empty;

    /// <summary>Labels that name this node's pool (for example <c>pool=a100-80g</c>), copied onto every snapshot. Default none.</summary>
    public Dictionary<string, string> PoolLabels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>gRPC (HTTP/2 cleartext) port. Default 50052.</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 50052;

    /// <summary>HTTP port for <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>. Default 9400 (dcgm-exporter's).</summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; } = 9400;
}
