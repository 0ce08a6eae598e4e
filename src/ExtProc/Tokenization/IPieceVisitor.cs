namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Receives pre-tokens from an <see cref="IPreTokenizer"/>, one at a time.</summary>
internal interface IPieceVisitor
{
    /// <summary>One pre-token, which starts at <paramref name="start"/> in the text being split.</summary>
    void Piece(ReadOnlySpan<char> piece, int start);
}
