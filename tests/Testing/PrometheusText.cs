using System.Globalization;
using System.Text;
using Prometheus;

namespace AiSidecar.Testing;

/// <summary>Prometheus's text exposition, as <c>/metrics</c> serves it: scraped from a registry and read series by series.</summary>
public static class PrometheusText
{
    /// <summary>The exposition text of <paramref name="registry"/>.</summary>
    public static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream).ConfigureAwait(false);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The value of one series, written as in the exposition (<c>name{label="value"}</c>); 0 when absent.</summary>
    public static double Value(string text, string series)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(series);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>The sample lines of family <paramref name="name"/>, without HELP and TYPE.</summary>
    public static string[] Series(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. text.Split('\n').Where(l => IsSample(l, name))];
    }

    /// <summary>The lines of family <paramref name="name"/>: its HELP and TYPE lines and its samples (a histogram's included).</summary>
    public static string[] Family(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        return
        [
            .. text.Split('\n').Where(line =>
                line.StartsWith($"# HELP {name} ", StringComparison.Ordinal) || line == $"# HELP {name}"
                || line.StartsWith($"# TYPE {name} ", StringComparison.Ordinal)
                || IsSample(line, name)
                || IsSample(line, name + "_sum") || IsSample(line, name + "_count") || IsSample(line, name + "_bucket")),
        ];
    }

    /// <summary>The <c>le</c> edges of a histogram's series whose other labels are <paramref name="labels"/> (<c>a="x",</c>, or empty).</summary>
    public static string[] BucketEdges(string text, string name, string labels = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        var prefix = $"{name}_bucket{{{labels}le=\"";
        return [.. text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..l.IndexOf('"', prefix.Length)])];
    }

    private static bool IsSample(string line, string name) =>
        line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' ';
}
