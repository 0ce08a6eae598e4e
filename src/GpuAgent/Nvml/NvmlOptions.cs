using System.ComponentModel.DataAnnotations;

namespace AiSidecar.GpuAgent.Nvml;

/// <summary>How the agent finds and calls NVML (configuration section <c>GpuAgent:Nvml</c>).</summary>
internal sealed class NvmlOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "GpuAgent:Nvml";

    /// <summary>Path or soname of the NVML library. Default <c>libnvidia-ml.so.1</c> (injected by the NVIDIA runtime).</summary>
    [Required]
    public string LibraryPath { get; set; } = "libnvidia-ml.so.1";

    /// <summary>Longest time one device's readings may take before it is reported as hung. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often to retry <c>nvmlInit_v2</c> while NVML is down. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan InitRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}
