using System.Globalization;
using System.Text.Json;

namespace AiSidecar.Configuration;

/// <summary>A configuration file that cannot be loaded at all: bad syntax, a root that is not a mapping, a duplicate key.</summary>
public sealed class ConfigurationFileException : FormatException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/> at a 1-based line and column.</summary>
    public ConfigurationFileException(string sourceName, int line, int column, string reason, Exception? innerException = null)
        : base(IssueText.OneLine(string.Create(CultureInfo.InvariantCulture, $"{sourceName}:{line}:{column}: {reason}")), innerException)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file name (or the name given to in-memory content).</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>1-based column of the error.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>
    /// One line describing why configuration failed to load: <c>FILE:LINE:COL: reason</c> for YAML and JSON files,
    /// the exception's message otherwise (no stack trace).
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return IssueText.OneLine(DescribeOnce(exception));
    }

    private static string DescribeOnce(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ConfigurationFileException yaml)
            {
                return yaml.Message;
            }

            if (current is JsonException { LineNumber: { } line, BytePositionInLine: { } column } json)
            {
                // The JSON provider wraps the reader's error twice; the outer message names the file.
                var file = FileNameIn(exception.Message) ?? "JSON";
                return string.Create(CultureInfo.InvariantCulture, $"{file}:{line + 1}:{column + 1}: not valid JSON: {FirstSentence(json.Message)}");
            }
        }

        return exception.InnerException is { } inner && FileNameIn(exception.Message) is { } name
            ? $"{name}: {inner.Message}"
            : exception.Message;
    }

    private static string? FileNameIn(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start + 1 ? message[(start + 1)..end] : null;
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: $ | LineNumber: 0 | BytePositionInLine: 3." which the location already says.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
