using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>Scraping the model servers' Prometheus metrics (<c>admission.scrape</c>).</summary>
internal sealed class ScrapeOptions
{
    /// <summary>Milliseconds between scrapes of each endpoint. Default 250.</summary>
    [Range(50, 600_000)]
    public int IntervalMs { get; set; } = 250;

    /// <summary>Time one scrape may take (no retry: the next tick is the retry); must be below <see cref="IntervalMs"/>. Default 200.</summary>
    [Range(10, 600_000)]
    public int TimeoutMs { get; set; } = 200;

    /// <summary>Seconds between resolutions of the pools' <c>engine.service</c> names. Default 30.</summary>
    [Range(1, 3600)]
    public int ResolveSeconds { get; set; } = 30;
}
