using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace AiSidecar.Configuration;

/// <summary>Short messages for failed data annotations, written for config files (the path already names the key).</summary>
internal static class ValidationMessages
{
    public static string For(ValidationAttribute attribute, object? value, ValidationResult result) => attribute switch
    {
        RequiredAttribute => "is required",
        RangeAttribute range => Range(range, value),
        RegularExpressionAttribute regex => $"must match {regex.Pattern} (is {Show(value)})",
        StringLengthAttribute length when length.MinimumLength > 0 =>
            Invariant($"must be {length.MinimumLength} to {length.MaximumLength} characters long (is {Count(value)})"),
        StringLengthAttribute length => Invariant($"must be at most {length.MaximumLength} characters long (is {Count(value)})"),
        MinLengthAttribute min => Invariant($"must have at least {min.Length} {Unit(value)} (has {Count(value)})"),
        MaxLengthAttribute max => Invariant($"must have at most {max.Length} {Unit(value)} (has {Count(value)})"),
        LengthAttribute length => Invariant($"must have from {length.MinimumLength} to {length.MaximumLength} {Unit(value)} (has {Count(value)})"),
        AllowedValuesAttribute allowed => $"must be one of {string.Join(", ", allowed.Values.Select(Plain))} (is {Show(value)})",
        DeniedValuesAttribute denied => $"must not be {string.Join(" or ", denied.Values.Select(Plain))}",
        IPAddressAttribute => $"must be an IP address such as 0.0.0.0, 127.0.0.1 or :: (is {Show(value)})",
        EmailAddressAttribute => $"must be an e-mail address (is {Show(value)})",
        UrlAttribute => $"must be an absolute http, https or ftp URL (is {Show(value)})",
        Base64StringAttribute => "must be Base64 text",
        CompareAttribute compare => $"must equal {ConfigPaths.Camel(compare.OtherProperty)}",
        _ => result.ErrorMessage ?? "is not valid",
    };

    /// <summary>A value as a message shows it: text quoted, durations as <c>00:00:05</c>, numbers invariant.</summary>
    public static string Show(object? value) => value switch
    {
        null => "not set",
        string text => $"'{text}'",
        _ => Plain(value),
    };

    private static string Range(RangeAttribute range, object? value)
    {
        var min = Plain(range.Minimum);
        var max = Plain(range.Maximum);
        if (!range.MinimumIsExclusive && !range.MaximumIsExclusive)
        {
            return $"must be from {min} to {max} (is {Show(value)})";
        }

        var lower = range.MinimumIsExclusive ? "more than" : "at least";
        var upper = range.MaximumIsExclusive ? "less than" : "at most";
        return $"must be {lower} {min} and {upper} {max} (is {Show(value)})";
    }

    private static string Plain(object? value) => value switch
    {
        null => "null",
        TimeSpan span => Duration(span),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary><c>00:00:00.0500000</c> → <c>00:00:00.05</c>: the constant format without trailing zeros in the fraction.</summary>
    private static string Duration(TimeSpan span)
    {
        var text = span.ToString("c", CultureInfo.InvariantCulture);
        var fraction = text.LastIndexOf('.');
        return fraction > text.LastIndexOf(':') ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    private static string Unit(object? value) => value is string ? "characters" : "items";

    private static int Count(object? value) => value switch
    {
        string text => text.Length,
        ICollection collection => collection.Count,
        IEnumerable items => items.Cast<object?>().Count(),
        _ => 0,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
