using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Reads the server's metrics as Prometheus scrapes them, from the registry its services export.</summary>
internal static class ScrapedMetrics
{
    /// <summary>The value of one series (<c>extproc_requests_total{decision="small"}</c>); 0 when absent.</summary>
    public static async Task<double> ValueAsync(IServiceProvider services, string series) =>
        PrometheusText.Value(await PrometheusText.ScrapeAsync(services.GetRequiredService<CollectorRegistry>()), series);
}
