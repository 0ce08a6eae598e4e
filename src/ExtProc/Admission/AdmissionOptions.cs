using System.ComponentModel.DataAnnotations;
using AiSidecar.ExtProc.Admission.Breaker;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Admission.Priority;

namespace AiSidecar.ExtProc.Admission;

/// <summary>
/// Options of the <c>admission</c> section, read at start: where the live load comes from (GPU agents, model-server
/// metrics), how requests are classed, and the pool circuit breaker. What each pool and model adds (endpoints, GPUs,
/// limits, overflow) is in the catalogue and reloads with it. Nothing here runs unless configured: without agents no
/// watch is opened, without a pool <c>engine</c> nothing is scraped.
/// </summary>
internal sealed class AdmissionOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "admission";

    /// <summary>The GPU agents to watch.</summary>
    public GpuAgentsOptions GpuAgents { get; set; } = new();

    /// <summary>Scraping the model servers' Prometheus metrics.</summary>
    public ScrapeOptions Scrape { get; set; } = new();

    /// <summary>Priority classes of requests.</summary>
    public PriorityOptions Priority { get; set; } = new();

    /// <summary>The circuit breaker of each pool.</summary>
    public BreakerOptions Breaker { get; set; } = new();

    /// <summary>
    /// Telemetry (a Watch update, a scrape) older than this is stale: the pool then counts as saturated or healthy
    /// by its <c>admission.staleTelemetry</c>. Default 2,000 ms.
    /// </summary>
    [Range(100, 3_600_000)]
    public int StaleAfterMs { get; set; } = 2000;
}
