namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Collects pre-tokens as ranges: for tests, diagnostics and the pre-tokenizer benchmarks.</summary>
internal readonly struct RangeCollector(List<Range> pieces) : IPieceVisitor
{
    public void Piece(ReadOnlySpan<char> piece, int start) => pieces.Add(new Range(start, start + piece.Length));

    /// <summary>Replaces the contents of <paramref name="pieces"/> with the pre-tokens of <paramref name="text"/>.</summary>
    public static void Split<TSplitter>(TSplitter splitter, ReadOnlySpan<char> text, List<Range> pieces)
        where TSplitter : IPreTokenizer
    {
        pieces.Clear();
        var collector = new RangeCollector(pieces);
        splitter.Split(text, ref collector);
    }
}
