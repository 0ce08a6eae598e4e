namespace AiSidecar.Configuration.Tests.Samples;

internal sealed class LimitsSample
{
    public WindowSample? Window { get; set; }
}
