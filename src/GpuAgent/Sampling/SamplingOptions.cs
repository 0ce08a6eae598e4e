using System.ComponentModel.DataAnnotations;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>How often devices are read (configuration section <c>GpuAgent:Sampling</c>).</summary>
internal sealed class SamplingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "GpuAgent:Sampling";

    /// <summary>Time between two samples of every device. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
}
