using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tokenization.Templates;

/// <summary>
/// A format that renders the prompt text, special tokens included, and counts it whole: the tokenizer splits at
/// added tokens first, so the pieces between them (message contents) are counted and cached independently.
/// </summary>
internal abstract class RenderedPromptFormat : IPromptFormat
{
    public abstract string Family { get; }

    public abstract IReadOnlyList<string> RequiredTokens { get; }

    public int CountMessages(InferenceRequest request, ITextTokenizer tokenizer, CountBudget budget) => tokenizer.CountTokens(Render(request), budget);

    public abstract string Render(InferenceRequest request);

    /// <summary>Jinja's <c>trim</c> as Python's <c>str.strip()</c> does it.</summary>
    protected static string PyStrip(string text) => text.Trim(PyWhitespace);

    protected static string LStrip(string text, char c) => text.TrimStart(c);

    protected static string Strip(string text, char c) => text.Trim(c);

    private static readonly char[] PyWhitespace =
    [
        '\t', '\n', '\v', '\f', '\r', '\u001C', '\u001D', '\u001E', '\u001F', ' ', '\u0085', '\u00A0', '\u1680',
        '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A',
        '\u2028', '\u2029', '\u202F', '\u205F', '\u3000',
    ];
}
