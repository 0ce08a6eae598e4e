namespace AiSidecar.Configuration.Tests.Samples;

internal sealed class RegistrySample
{
    public List<ModelSample> Models { get; set; } = [];
}
