namespace AiSidecar.ExtProc.Telemetry;

/// <summary>Requests the stages never decide.</summary>
internal enum RequestDecision
{
    /// <summary>Not an inference path: passed through untouched.</summary>
    Passthrough,

    /// <summary>An inference path whose body Envoy does not send (body mode NONE): nothing to route on.</summary>
    Unrouted,
}
