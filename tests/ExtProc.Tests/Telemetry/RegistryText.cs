using System.Text;
using Prometheus;

namespace AiSidecar.ExtProc.Tests.Telemetry;

/// <summary>A registry's text exposition, as <c>/metrics</c> serves it.</summary>
internal static class RegistryText
{
    public static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The lines of family <paramref name="name"/>: its HELP and TYPE lines and its samples (a histogram's included).</summary>
    public static string[] Family(string text, string name) =>
    [
        .. text.Split('\n').Where(line =>
            line.StartsWith($"# HELP {name} ", StringComparison.Ordinal) || line == $"# HELP {name}"
            || line.StartsWith($"# TYPE {name} ", StringComparison.Ordinal)
            || IsSample(line, name)
            || IsSample(line, name + "_sum") || IsSample(line, name + "_count") || IsSample(line, name + "_bucket")),
    ];

    /// <summary>The <c>le</c> edges of a histogram's series whose other labels are <paramref name="labels"/> (<c>a="x",</c>, or empty).</summary>
    public static string[] BucketEdges(string text, string name, string labels = "")
    {
        var prefix = $"{name}_bucket{{{labels}le=\"";
        return [.. text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..l.IndexOf('"', prefix.Length)])];
    }

    private static bool IsSample(string line, string name) =>
        line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' ';
}
