namespace AiSidecar.Configuration.Tests.Samples;

/// <summary>A plain enum (no config spellings, the standard converter).</summary>
public enum LoadingMode
{
    Lazy,
    Eager,
}
