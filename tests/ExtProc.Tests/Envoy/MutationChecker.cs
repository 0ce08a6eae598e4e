using System.Globalization;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Envoy's <c>HeaderMutationRules</c> checker with its defaults; a denied change is ignored, not an error.</summary>
internal sealed class MutationChecker(bool allowAllRouting, bool allowEnvoy)
{
    private static readonly HashSet<string> RoutingHeaders = ["host", ":authority", ":method", ":scheme"];

    internal enum Operation
    {
        Set,
        Append,
        Remove,
    }

    public bool IsAllowed(Operation operation, string name, string value)
    {
        var isPseudo = name.StartsWith(':');
        if (operation == Operation.Remove && (isPseudo || name == "host"))
        {
            return false;
        }

        if (operation == Operation.Append && isPseudo)
        {
            return false;
        }

        if (operation == Operation.Set && name == ":status" &&
            !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status >= 200))
        {
            return false;
        }

        if (!allowAllRouting && RoutingHeaders.Contains(name))
        {
            return false;
        }

        return allowEnvoy || !name.StartsWith("x-envoy", StringComparison.Ordinal);
    }

    /// <summary>Envoy's <c>HeaderUtility::headerNameIsValid</c>: a token, lower case after a leading ':'.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        var pseudo = name[0] == ':';
        var rest = pseudo ? name.AsSpan(1) : name.AsSpan();
        if (rest.Length == 0)
        {
            return false;
        }

        foreach (var c in rest)
        {
            var ok = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || "!#$%&'*+-.^_`|~".Contains(c) ||
                (!pseudo && char.IsAsciiLetterUpper(c));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Header values may not contain NUL, CR or LF.</summary>
    public static bool IsValidValue(ReadOnlySpan<byte> value) => value.IndexOfAny((byte)0, (byte)'\r', (byte)'\n') < 0;
}
