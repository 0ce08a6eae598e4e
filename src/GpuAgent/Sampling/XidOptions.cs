using System.ComponentModel.DataAnnotations;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>XID event handling (configuration section <c>GpuAgent:Xid</c>).</summary>
internal sealed class XidOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "GpuAgent:Xid";

    /// <summary>Whether to register for XID events. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Comma-separated XIDs caused by applications, not by the GPU: counted and reported, but they do not make a
    /// device unhealthy. Default <c>13,31,43,45,68,109</c> (the NVIDIA device plugin's list).
    /// </summary>
    [RegularExpression(@"^\s*(\d+\s*(,\s*\d+\s*)*)?$")]
    public string IgnoredXids { get; set; } = "13,31,43,45,68,109";

    /// <summary>How long a critical XID keeps a device unhealthy; zero keeps it unhealthy until restart. Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan HoldTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Parses <see cref="IgnoredXids"/>.</summary>
    public IReadOnlySet<ulong> ParseIgnoredXids() =>
        IgnoredXids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => ulong.Parse(x, System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
}
