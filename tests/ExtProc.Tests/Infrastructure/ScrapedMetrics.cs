using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Reads the server's metrics as Prometheus scrapes them: the exposition text of its registry.</summary>
internal static class ScrapedMetrics
{
    /// <summary>The exposition text of the registry in <paramref name="services"/>.</summary>
    public static async Task<string> TextAsync(IServiceProvider services)
    {
        using var stream = new MemoryStream();
        await services.GetRequiredService<CollectorRegistry>().CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The value of one series, written as in the exposition (<c>extproc_requests_total{decision="small"}</c>); 0 when absent.</summary>
    public static async Task<double> ValueAsync(IServiceProvider services, string series) => Value(await TextAsync(services), series);

    /// <summary>The value of <paramref name="series"/> in exposition <paramref name="text"/>; 0 when absent.</summary>
    public static double Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
