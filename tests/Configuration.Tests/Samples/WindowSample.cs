namespace AiSidecar.Configuration.Tests.Samples;

/// <summary>A struct with properties, bound like a class.</summary>
internal struct WindowSample
{
    public int Min { get; set; }

    public int Max { get; set; }
}
