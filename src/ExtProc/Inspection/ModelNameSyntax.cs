using System.Globalization;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>
/// What a model name may be, in a request body and in the catalogue: 1 to 256 characters, no control, invisible
/// formatting or line separator characters, no leading or trailing whitespace. Such a name passes unchanged through
/// every HTTP hop as a header value (Envoy refuses only NUL, CR and LF, and sends other characters as their UTF-8
/// bytes; HTTP trims surrounding whitespace), so the model header can carry it as the client sent it.
/// </summary>
internal static class ModelNameSyntax
{
    public const int MaxLength = 256;

    /// <summary>The rule, for error messages.</summary>
    public const string Rule = "a model name of 1 to 256 characters without control or invisible formatting characters or surrounding whitespace";

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && !char.IsWhiteSpace(name[0])
        && !char.IsWhiteSpace(name[^1])
        && !name.Any(c => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
