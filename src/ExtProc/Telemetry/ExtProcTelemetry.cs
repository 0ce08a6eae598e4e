using System.Diagnostics;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>The server's trace source; each routing decision is one span.</summary>
public static class ExtProcTelemetry
{
    /// <summary>The ActivitySource name to subscribe to.</summary>
    public const string SourceName = "AiSidecar.ExtProc";

    /// <summary>The trace source.</summary>
    public static readonly ActivitySource Source = new(SourceName);
}
