using System.ComponentModel.DataAnnotations;

namespace AiSidecar.Configuration.Tests.Samples;

internal sealed class RangeSample
{
    [Required]
    public string Name { get; set; } = "";

    [Range(1, int.MaxValue)]
    public int? MaxTokens { get; set; }

    public string Pool { get; set; } = "";
}
