using System.ComponentModel.DataAnnotations;

namespace AiSidecar.Configuration.Tests.Samples;

internal sealed class VersionSample
{
    public string Name { get; set; } = "";

    [Range(0, 100)]
    public int Weight { get; set; }
}
