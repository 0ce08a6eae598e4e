using System.Globalization;
using System.Text;

namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>One sample of a wanted metric: its name, labels (unescaped) and value.</summary>
internal readonly record struct MetricSample(string Name, KeyValuePair<string, string>[] Labels, double Value)
{
    /// <summary>The value of label <paramref name="name"/>; null when the sample has none.</summary>
    public string? Label(string name)
    {
        foreach (var (key, value) in Labels)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }
}

/// <summary>A page that is not valid Prometheus or OpenMetrics text: the line and what is wrong (never the line's text).</summary>
internal sealed class MetricsFormatException(string message) : FormatException(message);

/// <summary>
/// Parses the Prometheus text exposition format (0.0.4) and OpenMetrics text as model servers emit them
/// (prometheus_client in Python, the Rust and C++ exporters): <c># HELP</c>/<c># TYPE</c> and other comments, label
/// values with <c>\\</c>, <c>\"</c> and <c>\n</c> escapes, <c>+Inf</c>/<c>-Inf</c>/<c>NaN</c>, an optional timestamp,
/// an OpenMetrics exemplar after <c>#</c>, and <c># EOF</c>. Only the lines that can be samples of the wanted names
/// (those that start with one) are parsed and checked in full; every other line is skipped once its first byte shows
/// it is a comment or can start a metric name, so a page of a thousand histogram buckets of other families costs a
/// line scan, not a thousand parses, while a page that is not exposition text (HTML, JSON) is still an error at its
/// first line rather than an empty page. A malformed line of another family goes unnoticed. A line longer
/// than <see cref="MaxLineBytes"/> is an error; the page's size is capped by its reader. Hand-written: no maintained
/// .NET parser of the text format exists (prometheus-net writes it but does not read it).
/// </summary>
internal static class MetricsTextParser
{
    /// <summary>The longest line accepted (64 KiB): a real line is a name, a few labels and a number.</summary>
    public const int MaxLineBytes = 64 << 10;

    /// <summary>The samples of <paramref name="wanted"/>'s names in <paramref name="page"/> (UTF-8), in page order.</summary>
    /// <exception cref="MetricsFormatException">The page is not valid exposition text.</exception>
    public static List<MetricSample> Parse(ReadOnlySpan<byte> page, MetricNames wanted)
    {
        var samples = new List<MetricSample>();
        var number = 0;
        while (page.Length > 0)
        {
            number++;
            var end = page.IndexOf((byte)'\n');
            var line = end < 0 ? page : page[..end];
            page = end < 0 ? default : page[(end + 1)..];
            if (line.Length > MaxLineBytes)
            {
                throw new MetricsFormatException($"line {number} is longer than {MaxLineBytes} bytes.");
            }

            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            line = line.TrimStart(" \t"u8);
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == (byte)'#')
            {
                if (line.SequenceEqual("# EOF"u8))
                {
                    break;
                }

                continue;
            }

            if (!wanted.MayStart(line))
            {
                // Another family's sample: only its first byte is checked (the cost of a page is its wanted lines).
                if (!IsNameStart(line[0]))
                {
                    throw new MetricsFormatException($"line {number}: expected a metric name.");
                }

                continue;
            }

            if (ParseSample(line, number, wanted) is { } sample)
            {
                samples.Add(sample);
            }
        }

        return samples;
    }

    private static MetricSample? ParseSample(ReadOnlySpan<byte> line, int number, MetricNames wanted)
    {
        var nameLength = NameLength(line, colons: true);
        if (nameLength == 0)
        {
            throw new MetricsFormatException($"line {number}: expected a metric name.");
        }

        var name = wanted.Find(line[..nameLength]);
        var rest = line[nameLength..];
        KeyValuePair<string, string>[] labels = [];
        if (rest.Length > 0 && rest[0] == (byte)'{')
        {
            rest = Labels(rest[1..], number, name is not null, out labels);
        }
        else if (rest.Length == 0 || rest[0] is not ((byte)' ' or (byte)'\t'))
        {
            throw new MetricsFormatException($"line {number}: expected labels or a value after the metric name.");
        }

        rest = rest.TrimStart(" \t"u8);
        var value = Number(ref rest, number, "value");
        rest = rest.TrimStart(" \t"u8);
        if (rest.Length > 0 && rest[0] != (byte)'#')
        {
            _ = Number(ref rest, number, "timestamp");
            rest = rest.TrimStart(" \t"u8);
        }

        // What is left may only be an OpenMetrics exemplar (# {labels} value [timestamp]), which carries no load.
        if (rest.Length > 0 && rest[0] != (byte)'#')
        {
            throw new MetricsFormatException($"line {number}: unexpected text after the sample.");
        }

        return name is null ? null : new MetricSample(name, labels, value);
    }

    /// <summary>Reads a label set after its <c>{</c>; returns what follows the <c>}</c>.</summary>
    private static ReadOnlySpan<byte> Labels(ReadOnlySpan<byte> rest, int number, bool materialise, out KeyValuePair<string, string>[] labels)
    {
        List<KeyValuePair<string, string>>? list = materialise ? [] : null;
        while (true)
        {
            rest = rest.TrimStart(" \t"u8);
            if (rest.Length > 0 && rest[0] == (byte)'}')
            {
                labels = list is null ? [] : [.. list];
                return rest[1..];
            }

            var nameLength = NameLength(rest, colons: false);
            if (nameLength == 0)
            {
                throw new MetricsFormatException($"line {number}: expected a label name or '}}'.");
            }

            var labelName = rest[..nameLength];
            rest = rest[nameLength..].TrimStart(" \t"u8);
            if (rest.Length < 2 || rest[0] != (byte)'=' || (rest = rest[1..].TrimStart(" \t"u8)).Length == 0 || rest[0] != (byte)'"')
            {
                throw new MetricsFormatException($"line {number}: expected =\"value\" after a label name.");
            }

            rest = rest[1..];
            var close = ClosingQuote(rest, number);
            list?.Add(new(Encoding.UTF8.GetString(labelName), Unescape(rest[..close])));
            rest = rest[(close + 1)..].TrimStart(" \t"u8);
            if (rest.Length > 0 && rest[0] == (byte)',')
            {
                rest = rest[1..];
            }
            else if (rest.Length == 0 || rest[0] != (byte)'}')
            {
                throw new MetricsFormatException($"line {number}: expected ',' or '}}' after a label value.");
            }
        }
    }

    /// <summary>The index of the quote that closes a label value (escapes skipped).</summary>
    private static int ClosingQuote(ReadOnlySpan<byte> value, int number)
    {
        var at = 0;
        while (true)
        {
            var next = value[at..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                throw new MetricsFormatException($"line {number}: unterminated label value.");
            }

            at += next;
            if (value[at] == (byte)'"')
            {
                return at;
            }

            at += 2;
            if (at > value.Length)
            {
                throw new MetricsFormatException($"line {number}: unterminated label value.");
            }
        }
    }

    private static string Unescape(ReadOnlySpan<byte> value)
    {
        if (value.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(value);
        }

        var bytes = new byte[value.Length];
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b == (byte)'\\' && i + 1 < value.Length)
            {
                b = value[++i] switch
                {
                    (byte)'n' => (byte)'\n',
                    var other => other, // \\ and \" stand for themselves; the format defines no other escape.
                };
            }

            bytes[length++] = b;
        }

        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    /// <summary>Reads one number (a float, <c>±Inf</c>, <c>NaN</c>) up to the next blank and moves past it.</summary>
    private static double Number(ref ReadOnlySpan<byte> rest, int number, string what)
    {
        var end = rest.IndexOfAny((byte)' ', (byte)'\t');
        var token = end < 0 ? rest : rest[..end];
        rest = end < 0 ? default : rest[end..];
        if (token.Length > 0 && token[0] == (byte)'+')
        {
            token = token[1..];
        }

        if (Ascii.EqualsIgnoreCase(token, "Inf"u8) || Ascii.EqualsIgnoreCase(token, "Infinity"u8))
        {
            return double.PositiveInfinity;
        }

        if (Ascii.EqualsIgnoreCase(token, "-Inf"u8) || Ascii.EqualsIgnoreCase(token, "-Infinity"u8))
        {
            return double.NegativeInfinity;
        }

        if (Ascii.EqualsIgnoreCase(token, "NaN"u8))
        {
            return double.NaN;
        }

        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new MetricsFormatException($"line {number}: the {what} is not a number.");
    }

    /// <summary>Length of the name at the start of <paramref name="text"/>: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c> (no colons in label names).</summary>
    private static int NameLength(ReadOnlySpan<byte> text, bool colons)
    {
        var i = 0;
        while (i < text.Length && (text[i] is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_'
            || colons && text[i] == (byte)':'
            || i > 0 && text[i] is >= (byte)'0' and <= (byte)'9'))
        {
            i++;
        }

        return i;
    }

    /// <summary>Whether a metric name can start with <paramref name="b"/> (<c>[a-zA-Z_:]</c>).</summary>
    private static bool IsNameStart(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or (byte)':';
}

/// <summary>The metric names a parse materialises, matched on their UTF-8 bytes (no string per line).</summary>
internal sealed class MetricNames
{
    private readonly (string Name, byte[] Utf8)[] _names;

    public MetricNames(params IEnumerable<string> names) => _names = [.. names.Distinct(StringComparer.Ordinal).Select(n => (n, Encoding.UTF8.GetBytes(n)))];

    public IEnumerable<string> All => _names.Select(n => n.Name);

    /// <summary>Whether <paramref name="line"/> starts with a wanted name (it may be one's sample, or a longer name's).</summary>
    public bool MayStart(ReadOnlySpan<byte> line)
    {
        foreach (var (_, bytes) in _names)
        {
            if (line.StartsWith(bytes))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The wanted name <paramref name="utf8"/> spells; null when it is not wanted.</summary>
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        foreach (var (name, bytes) in _names)
        {
            if (utf8.SequenceEqual(bytes))
            {
                return name;
            }
        }

        return null;
    }
}
