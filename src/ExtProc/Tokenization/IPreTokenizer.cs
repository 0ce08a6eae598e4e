namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Splits text into pre-tokens (words, number groups, punctuation runs, whitespace) before BPE merging.</summary>
internal interface IPreTokenizer
{
    /// <summary>
    /// Hands the pre-tokens of <paramref name="text"/> to <paramref name="visitor"/>, in order, as they are found:
    /// no list of a whole prompt's pieces is built.
    /// </summary>
    void Split<TVisitor>(ReadOnlySpan<char> text, ref TVisitor visitor)
        where TVisitor : IPieceVisitor, allows ref struct;
}
