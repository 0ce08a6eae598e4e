using System.Globalization;
using System.Text;

namespace AiSidecar.Configuration;

/// <summary>
/// Issue lines are one line each: a key or value quoted in a message may hold line breaks or other control
/// characters (a quoted YAML key, a block scalar), which are written as escapes instead.
/// </summary>
internal static class IssueText
{
    /// <summary><paramref name="text"/> with control characters and line separators escaped (<c>\n</c>, <c>\u0085</c>).</summary>
    public static string OneLine(string text)
    {
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var line = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                '\t' => line.Append("\\t"),
                _ when NeedsEscape(c) => line.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => line.Append(c),
            };
        }

        return line.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
