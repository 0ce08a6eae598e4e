namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Splits text into pre-tokens (words, number groups, punctuation runs, whitespace) before BPE merging.</summary>
internal interface IPreTokenizer
{
    /// <summary>Replaces the contents of <paramref name="pieces"/> with the pre-tokens of <paramref name="text"/>, in order.</summary>
    void Split(ReadOnlySpan<char> text, List<Range> pieces);
}
