using System.Text;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>
/// Prometheus names of <c>System.Diagnostics.Metrics</c> instruments, by the OpenTelemetry Prometheus compatibility
/// rules: invalid characters become <c>_</c>, the unit becomes a suffix in words, counters end in <c>_total</c>.
/// </summary>
/// <remarks>
/// One deliberate difference from the specification: unit <c>1</c> adds no <c>_ratio</c> suffix to a gauge, so that a
/// 0/1 gauge such as <c>extproc.tokenizer.loaded</c> keeps its name.
/// </remarks>
internal static class PrometheusNaming
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["TiBy"] = "tebibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["TBy"] = "terabytes",
        ["m"] = "meters",
        ["V"] = "volts",
        ["A"] = "amperes",
        ["J"] = "joules",
        ["W"] = "watts",
        ["g"] = "grams",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["m"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    };

    /// <summary>The metric name: <paramref name="instrumentName"/> sanitized, then the unit suffix, then <c>_total</c> for a counter.</summary>
    public static string MetricName(string instrumentName, string? unit, bool counter)
    {
        var name = Sanitize(instrumentName);
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name = $"{name}_{suffix}";
        }

        return counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>The label name of a tag key (invalid characters become <c>_</c>).</summary>
    public static string LabelName(string tagKey) => Sanitize(tagKey);

    /// <summary>The unit in words (<c>s</c> → <c>seconds</c>, <c>By/s</c> → <c>bytes_per_second</c>); empty for <c>1</c> and <c>{annotations}</c>.</summary>
    public static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return "";
        }

        var bare = WithoutAnnotations(unit).Trim();
        if (bare.Length == 0 || bare == "1")
        {
            return "";
        }

        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Sanitize(Units.GetValueOrDefault(bare, bare));
        }

        var main = bare[..slash].Trim();
        var per = bare[(slash + 1)..].Trim();
        var mainWord = main.Length == 0 || main == "1" ? "" : Units.GetValueOrDefault(main, main);
        var perWord = PerUnits.GetValueOrDefault(per, per);
        var words = mainWord.Length == 0 ? $"per_{perWord}" : $"{mainWord}_per_{perWord}";
        return Sanitize(words);
    }

    /// <summary>Replaces every character outside <c>[a-zA-Z0-9_:]</c> with <c>_</c>, collapses runs of <c>_</c> and drops a trailing one, prefixes a leading digit.</summary>
    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length + 1);
        foreach (var c in text)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == ':';
            if (valid)
            {
                if (builder.Length == 0 && char.IsAsciiDigit(c))
                {
                    builder.Append('_');
                }

                builder.Append(c);
            }
            else if (builder.Length == 0 || builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        // A trailing separator would double the one before a suffix.
        while (builder.Length > 1 && builder[^1] == '_')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    /// <summary>Drops every <c>{…}</c> part: UCUM annotations name what is counted, not a unit.</summary>
    private static string WithoutAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
