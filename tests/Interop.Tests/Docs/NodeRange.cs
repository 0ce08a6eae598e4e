using System.Globalization;

namespace AiSidecar.Interop.Tests.Docs;

/// <summary>
/// Just enough of npm's semver ranges to tell whether an <c>engines.node</c> range accepts a Node.js major version
/// (taken as <c>major.0.0</c>, the oldest release of that line): <c>*</c>, <c>x</c>, comparators (<c>&gt;=</c>,
/// <c>&gt;</c>, <c>&lt;=</c>, <c>&lt;</c>, <c>=</c>), wildcards (<c>6.*</c>, <c>4.x</c>), <c>^</c>, <c>~</c>, and
/// alternatives joined by <c>||</c>.
/// </summary>
internal static class NodeRange
{
    public static bool Accepts(string range, int major) =>
        range.Split("||").Any(alternative => AcceptsAll(alternative, [major, 0, 0]));

    private static bool AcceptsAll(string alternative, int[] version)
    {
        var comparators = alternative.Replace(">= ", ">=", StringComparison.Ordinal).Replace("<= ", "<=", StringComparison.Ordinal)
            .Replace("> ", ">", StringComparison.Ordinal).Replace("< ", "<", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return comparators.All(c => Accepts(c, version));
    }

    private static bool Accepts(string comparator, int[] version)
    {
        var op = new string([.. comparator.TakeWhile(c => c is '>' or '<' or '=' or '^' or '~')]);
        var parts = comparator[op.Length..].TrimStart('v').Split('.');
        var bound = parts.Select(p => p is "*" or "x" or "X" or "" ? (int?)null : int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        var given = bound.TakeWhile(b => b is not null).Select(b => b!.Value).ToArray();
        var compared = Compare(version, given);
        return op switch
        {
            ">=" => compared >= 0,
            ">" => compared > 0,
            "<=" => compared <= 0,
            "<" => compared < 0,
            "^" => compared >= 0 && version[0] == (given.Length > 0 ? given[0] : version[0]),
            "~" => compared >= 0 && Compare(version, given[..Math.Min(2, given.Length)]) == 0,
            _ => compared == 0, // "=", a bare version or a wildcard: equal on the parts given
        };
    }

    /// <summary>Compares <paramref name="version"/> with <paramref name="bound"/> on the bound's parts only.</summary>
    private static int Compare(int[] version, int[] bound)
    {
        for (var i = 0; i < bound.Length; i++)
        {
            if (version[i] != bound[i])
            {
                return version[i].CompareTo(bound[i]);
            }
        }

        return 0;
    }
}
