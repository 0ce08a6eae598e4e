namespace AiSidecar.ExtProc.Tests.Tokenization;

internal sealed record PlainCase(string Id, string Text, int[]? Utf16, int Count, int[] Ids)
{
    /// <summary>The text as the reference saw it: lone surrogates survive only in <see cref="Utf16"/>.</summary>
    public string Input => Utf16 is null ? Text : new string([.. Utf16.Select(u => (char)u)]);
}
