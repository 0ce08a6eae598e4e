using System.ComponentModel.DataAnnotations;

namespace AiSidecar.Configuration.Tests.Samples;

internal sealed class HeaderNamesSample
{
    [Required]
    [RegularExpression("^[a-z0-9-]+$")]
    public string Model { get; set; } = "x-ai-model";

    public string Pool { get; set; } = "x-ai-pool";
}
