using System.ComponentModel.DataAnnotations;

namespace AiSidecar.GpuAgent.PodResources;

/// <summary>Kubelet pod-resources lookups (configuration section <c>GpuAgent:PodResources</c>).</summary>
internal sealed class PodResourcesOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "GpuAgent:PodResources";

    /// <summary>Whether to map GPUs to pods. Default true; an absent socket only means no pod labels.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The kubelet socket. Default <c>/var/lib/kubelet/pod-resources/kubelet.sock</c>; mount its directory, not the file.</summary>
    [Required]
    public string SocketPath { get; set; } = "/var/lib/kubelet/pod-resources/kubelet.sock";

    /// <summary>Time between two <c>List</c> calls (the kubelet rate-limits callers). Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of one <c>List</c> call. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Comma-separated resource-name prefixes that denote GPUs. Default <c>nvidia.com/gpu,nvidia.com/mig-</c>.</summary>
    [Required]
    public string ResourceNamePrefixes { get; set; } = "nvidia.com/gpu,nvidia.com/mig-";
}
