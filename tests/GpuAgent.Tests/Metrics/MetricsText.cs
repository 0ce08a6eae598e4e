using System.Text;
using Prometheus;

namespace AiSidecar.GpuAgent.Tests.Metrics;

internal static class MetricsText
{
    public static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Sample lines of one metric family, without HELP/TYPE.</summary>
    public static string[] Series(string text, string name) =>
        text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)).ToArray();
}
