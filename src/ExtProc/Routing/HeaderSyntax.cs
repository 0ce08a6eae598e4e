namespace AiSidecar.ExtProc.Routing;

/// <summary>Checks header names and values against what Envoy accepts in a header mutation.</summary>
internal static class HeaderSyntax
{
    /// <summary>A lower-case RFC 9110 token that Envoy's default mutation rules let the server set.</summary>
    public static bool IsOwnableName(string name) =>
        name.Length > 0
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '^' or '`' or '|' or '~')
        && name != "host"
        && !name.StartsWith("x-envoy", StringComparison.Ordinal);

    /// <summary>Visible ASCII and spaces only: no CR, LF, NUL or other controls that make Envoy answer 500.</summary>
    public static bool IsValidValue(string value) => value.All(c => c is >= ' ' and <= '~' or '\t');
}
