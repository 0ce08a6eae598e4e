using System.ComponentModel.DataAnnotations;

namespace AiSidecar.Configuration.Tests.Samples;

internal sealed class ModelSample : IValidatableObject
{
    public string Name { get; set; } = "";

    public List<VersionSample> Versions { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Versions.Count > 0 && Versions.Sum(v => v.Weight) != 100)
        {
            yield return new ValidationResult("weights must add up to 100", [nameof(Versions)]);
        }
    }
}
