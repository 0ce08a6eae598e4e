using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>The GPU agents the server watches (<c>admission.gpuAgents</c>): a static list, a headless Service, or both.</summary>
internal sealed class GpuAgentsOptions
{
    /// <summary>Agents as <c>host:port</c> (h2c gRPC; the agent listens on 50052 by default). Default none.</summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary><c>name:port</c> of a headless Service: every address it resolves to is an agent, re-resolved every <see cref="ResolveSeconds"/>. Default none.</summary>
    public string Service { get; set; } = "";

    /// <summary>Seconds between resolutions of <see cref="Service"/>. Default 30.</summary>
    [Range(1, 3600)]
    public int ResolveSeconds { get; set; } = 30;

    /// <summary>First reconnect delay after a Watch stream fails; doubles (with jitter) up to <see cref="MaxBackoffMs"/>. Default 250 ms.</summary>
    [Range(10, 600_000)]
    public int InitialBackoffMs { get; set; } = 250;

    /// <summary>Longest reconnect delay. Default 10,000 ms.</summary>
    [Range(10, 600_000)]
    public int MaxBackoffMs { get; set; } = 10_000;
}
