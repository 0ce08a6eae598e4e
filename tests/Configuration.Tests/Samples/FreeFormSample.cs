namespace AiSidecar.Configuration.Tests.Samples;

/// <summary>A free-form object: the shape checker skips it, so only the binder's own check can refuse its keys.</summary>
internal sealed class FreeFormSample
{
    [ConfigFreeForm]
    public RangeSample Range { get; set; } = new();
}
