namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// What one request's count may spend, and the cancellation it observes. Merging costs about the same per byte
/// whatever a pre-token's length (<see cref="HeapBpe"/>), so a count's work grows with its prompt, except for one
/// thing natural text never has: a single pre-token of many kilobytes (a run of letters, spaces or punctuation with no
/// natural split), whose merge costs more per byte and whose working memory grows with it. Such a pre-token, longer
/// than <c>tokenization.maxMergeBytes</c>, is counted by an upper bound instead (its initial symbols: see
/// docs/tokenization.md), and the count is then not exact.
/// </summary>
internal sealed class CountBudget
{
    private readonly int _maxMergeBytes;

    /// <param name="maxMergeBytes">The longest pre-token merged, in bytes (<c>tokenization.maxMergeBytes</c>); 0 = no limit.</param>
    /// <param name="cancellation">Fires when the count must stop (the exchange's hold cancellation).</param>
    public CountBudget(int maxMergeBytes, CancellationToken cancellation)
    {
        _maxMergeBytes = maxMergeBytes;
        Cancellation = cancellation;
    }

    /// <summary>A budget without limit or cancellation: exact counts for diagnostics and tests.</summary>
    public static CountBudget Unlimited => new(0, CancellationToken.None);

    /// <summary>True for a budget without limit: every piece is merged, however long.</summary>
    public bool IsUnlimited => _maxMergeBytes == 0;

    /// <summary>The longest pre-token merged, in bytes (or symbols, for SentencePiece files); 0 without limit.</summary>
    public int MaxMergeBytes => _maxMergeBytes;

    /// <summary>Fires when the count must stop; the counting loops check it between pieces.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Pre-tokens counted by their upper bound so far.</summary>
    public int BoundedPieces { get; private set; }

    /// <summary>True while no pre-token was counted by its bound.</summary>
    public bool Exact => BoundedPieces == 0;

    /// <summary>
    /// Whether a pre-token of <paramref name="length"/> initial symbols (bytes) may be merged; when not, the caller
    /// counts <paramref name="length"/> instead, and the count is no longer exact. Checks the cancellation first.
    /// </summary>
    public bool TryMerge(int length)
    {
        Cancellation.ThrowIfCancellationRequested();
        if (IsUnlimited || length <= _maxMergeBytes)
        {
            return true;
        }

        BoundedPieces++;
        return false;
    }
}
