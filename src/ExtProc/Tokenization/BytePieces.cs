using System.Text;
using AiSidecar.ExtProc.Tokenization.HuggingFace;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Counts and encodes the pre-tokens of a byte-level BPE (tiktoken encodings, byte-level <c>tokenizer.json</c>
/// files). Words (up to <see cref="PieceCountCache.MaxPieceLength"/> characters) are merged exactly, through the word
/// cache; a longer piece is merged when the request's <see cref="CountBudget"/> allows it, else counted by its UTF-8
/// length, an upper bound: its initial symbols are its bytes and every merge joins two symbols into one.
/// </summary>
internal sealed class BytePieces<TRanks>
    where TRanks : HeapBpe.IRanks
{
    /// <summary>How many pieces pass between two looks at the cancellation.</summary>
    private const int CancellationStride = 64;

    private readonly TRanks _ranks;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? _wholeWords;
    private readonly PieceCountCache _words = new();
    private readonly PieceCountCache.PieceCounter _countWord;

    /// <param name="ranks">The merge ranks.</param>
    /// <param name="wholeWords">
    /// The vocabulary (byte-level spelling) of a file with <c>ignore_merges</c>: a piece spelled in it is one token,
    /// whatever the merges say. Null otherwise.
    /// </param>
    public BytePieces(TRanks ranks, Dictionary<string, int>? wholeWords)
    {
        _ranks = ranks;
        _wholeWords = wholeWords?.GetAlternateLookup<ReadOnlySpan<char>>();
        _countWord = piece => TryWholeWord(piece, out _) ? 1 : HeapBpe.Count(piece, _ranks, null);
    }

    /// <summary>A visitor that counts the pieces it is given within <paramref name="budget"/>.</summary>
    public Counter CountWithin(CountBudget budget) => new(this, budget);

    /// <summary>A visitor that appends the token ids of the pieces it is given to <paramref name="ids"/>, merging every piece.</summary>
    public Encoder EncodeInto(List<int> ids) => new(this, ids);

    private int Count(ReadOnlySpan<char> piece, CountBudget budget)
    {
        if (piece.Length <= PieceCountCache.MaxPieceLength)
        {
            return _words.GetOrCount(piece, _countWord);
        }

        if (TryWholeWord(piece, out _))
        {
            return 1;
        }

        var bytes = Encoding.UTF8.GetByteCount(piece);
        return budget.TryMerge(bytes) ? HeapBpe.Count(piece, _ranks, null) : bytes;
    }

    private void Encode(ReadOnlySpan<char> piece, List<int> ids)
    {
        if (TryWholeWord(piece, out var id))
        {
            ids.Add(id);
        }
        else
        {
            HeapBpe.Count(piece, _ranks, ids);
        }
    }

    /// <summary><c>ignore_merges</c>: a pre-token spelled in the vocabulary is one token, whatever the merges say.</summary>
    private bool TryWholeWord(ReadOnlySpan<char> piece, out int id)
    {
        id = 0;
        if (_wholeWords is not { } vocabulary || piece.Length > 256)
        {
            return false;
        }

        var byteCount = Encoding.UTF8.GetByteCount(piece);
        if (byteCount > 256)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[byteCount];
        Encoding.UTF8.GetBytes(piece, bytes);
        Span<char> spelled = stackalloc char[byteCount];
        ByteLevelAlphabet.Spell(bytes, spelled);
        return vocabulary.TryGetValue(spelled, out id);
    }

    /// <summary>Counts pieces; looks at the budget's cancellation every <see cref="CancellationStride"/> pieces.</summary>
    public struct Counter(BytePieces<TRanks> owner, CountBudget budget) : IPieceVisitor
    {
        private int _seen;

        /// <summary>The tokens of the pieces seen so far.</summary>
        public int Total { get; private set; }

        public void Piece(ReadOnlySpan<char> piece, int start)
        {
            if (++_seen % CancellationStride == 0)
            {
                budget.Cancellation.ThrowIfCancellationRequested();
            }

            Total += owner.Count(piece, budget);
        }
    }

    /// <summary>Encodes pieces to token ids.</summary>
    public readonly struct Encoder(BytePieces<TRanks> owner, List<int> ids) : IPieceVisitor
    {
        public List<int> Ids => ids;

        public void Piece(ReadOnlySpan<char> piece, int start) => owner.Encode(piece, ids);
    }
}
