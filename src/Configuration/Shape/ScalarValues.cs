using System.ComponentModel;
using System.Globalization;
using System.Numerics;

namespace AiSidecar.Configuration;

/// <summary>Whether a configuration string converts to a scalar type, with the same converter the binder uses, and how to say what is expected.</summary>
internal static class ScalarValues
{
    /// <summary>Null when <paramref name="value"/> converts to <paramref name="type"/>, else what is wrong.</summary>
    public static string? Problem(Type type, string value)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            // The binder leaves a nullable unset for an empty value.
            if (value.Length == 0)
            {
                return null;
            }

            type = inner;
        }

        if (type == typeof(string) || type == typeof(object))
        {
            return null;
        }

        if (type.IsEnum)
        {
            // The enum converter also takes numbers, even undefined ones; config files name members only.
            return EnumSpellings.For(type).IsAllowed(value) && Converts(type, value)
                ? null
                : $"expected one of {string.Join(", ", EnumSpellings.For(type).Names)}; found '{value}'{KeySuggestions.DidYouMean(value, EnumSpellings.For(type).Names)}";
        }

        if (type == typeof(TimeSpan) && value.Trim() is { Length: > 0 } trimmed && trimmed.All(char.IsAsciiDigit))
        {
            return $"expected {Expected(type)}, found '{value}' (a bare number would be read as days)";
        }

        if (type == typeof(byte[]))
        {
            return IsBase64(value) ? null : $"expected {Expected(type)}, found '{value}'";
        }

        if (!Converts(type, value))
        {
            return $"expected {Expected(type, value)}, found '{value}'";
        }

        return type == typeof(Uri) && !IsAbsoluteUri(value)
            ? $"expected {Expected(type)}, found '{value}'"
            : null;
    }

    /// <summary>What a value of <paramref name="type"/> looks like, in words ("a whole number", "true or false").</summary>
    public static string Expected(Type type, string? value = null)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return $"one of {string.Join(", ", EnumSpellings.For(type).Names)}";
        }

        if (IsInteger(type))
        {
            // A number that does not fit: say how large it may be.
            return value is not null && BigInteger.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                ? string.Create(CultureInfo.InvariantCulture, $"a whole number from {type.GetField("MinValue")!.GetValue(null)} to {type.GetField("MaxValue")!.GetValue(null)}")
                : "a whole number";
        }

        return type switch
        {
            _ when type == typeof(string) => "text",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) || type == typeof(Half) => "a number",
            _ when type == typeof(TimeSpan) => "a duration like 00:00:05",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "a date and time like 2025-01-31T12:00:00Z",
            _ when type == typeof(DateOnly) => "a date like 2025-01-31",
            _ when type == typeof(TimeOnly) => "a time of day like 13:45:00",
            _ when type == typeof(Uri) => "an absolute URI like http://host:8080/path",
            _ when type == typeof(Guid) => "a GUID",
            _ when type == typeof(char) => "a single character",
            _ when type == typeof(Version) => "a version like 1.2.3",
            _ when type == typeof(byte[]) => "Base64 text",
            _ => $"a value of type {type.Name}",
        };
    }

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte)
        || type == typeof(Int128) || type == typeof(UInt128) || type == typeof(nint) || type == typeof(nuint);

    private static bool Converts(Type type, string value)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or NotSupportedException or InvalidOperationException or InvalidCastException)
        {
            return false;
        }
    }

    /// <summary>An absolute URI as written; on Unix <c>/path</c> would otherwise pass as an implicit file URI.</summary>
    private static bool IsAbsoluteUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (!uri.IsFile || value.TrimStart().StartsWith("file:", StringComparison.OrdinalIgnoreCase));

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
