using System.Globalization;

namespace AiSidecar.ExtProc.LoadGen.Soak;

/// <summary>The plain samples (gauges and counters) of one scrape of the server's <c>/metrics</c>, by series.</summary>
internal sealed class ServerScrape
{
    private readonly Dictionary<string, double> _series = new(StringComparer.Ordinal);

    public static async Task<ServerScrape> ReadAsync(HttpClient http, Uri metrics, CancellationToken cancellation) =>
        Parse(await http.GetStringAsync(metrics, cancellation).ConfigureAwait(false));

    /// <summary>The plain samples of <paramref name="exposition"/> (Prometheus text format).</summary>
    public static ServerScrape Parse(string exposition)
    {
        var scrape = new ServerScrape();
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#' || line.Contains("_bucket{", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                scrape._series[line[..space]] = value;
            }
        }

        return scrape;
    }

    /// <summary>The value of the series written exactly so (<c>name</c> or <c>name{label="value"}</c>); 0 when absent.</summary>
    public double this[string series] => _series.GetValueOrDefault(series);

    /// <summary>Every series of the family <paramref name="name"/> with its value.</summary>
    public IEnumerable<(string Series, double Value)> Family(string name) =>
        _series.Where(s => s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)).Select(s => (s.Key, s.Value)).OrderBy(s => s.Key, StringComparer.Ordinal);
}
