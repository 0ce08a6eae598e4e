namespace AiSidecar.ExtProc.Tests.Telemetry;

/// <summary>
/// Tests that turn tracing on: the server's ActivitySource is process-wide, so while one of them listens every other
/// test's exchanges would be traced too (and get a <c>traceparent</c>). They run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingGroup
{
    public const string Name = "Tracing";
}
