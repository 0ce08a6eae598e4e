using System.Buffers;
using System.Text;

namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>
/// SentencePiece-style BPE as Hugging Face runs it for <c>byte_fallback</c> files (Llama 2, Mistral v0.1): each code
/// point is its vocabulary symbol, or its UTF-8 bytes as <c>&lt;0xXX&gt;</c> tokens when the vocabulary lacks it; the
/// symbols then merge by the file's merge ranks.
/// <para/>The reference merges a whole segment at once (there is no pre-tokenizer). Here the symbols are cut where no
/// merge can ever join them (<see cref="SymbolJoins"/>: before "▁" after a letter, in Llama 2's merges) and each run
/// is merged on its own, which gives the same tokens: the merges within one run never see the symbols of another, so
/// each run takes the same merges in the same order as in the whole. A run is merged within the request's
/// <see cref="CountBudget"/>, else counted by its initial symbols, an upper bound.
/// </summary>
internal static class SentencePieceSymbols
{
    public static int Count(ReadOnlySpan<char> text, HfBpeParts parts, CountBudget budget, List<int>? ids)
    {
        // Room for the longest run that can be merged: words always are, longer runs up to the budget's limit (a code
        // point is at most 3 symbols per UTF-16 unit).
        var longest = (text.Length * 3) + 1;
        var merged = Math.Max(budget.MaxMergeBytes, PieceCountCache.MaxPieceLength) + 1;
        var runs = new Runs(parts, budget, ids, budget.IsUnlimited || ids is not null ? longest : Math.Min(longest, merged));
        try
        {
            var vocab = parts.Vocabulary!.GetAlternateLookup<ReadOnlySpan<char>>();
            Span<byte> utf8 = stackalloc byte[4];
            for (var i = 0; i < text.Length;)
            {
                var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                var codePoint = text.Slice(i, width);
                if (vocab.TryGetValue(codePoint, out var id))
                {
                    runs.Add(id);
                }
                else
                {
                    var count = Encoding.UTF8.GetBytes(codePoint, utf8);
                    foreach (var b in utf8[..count])
                    {
                        runs.Add(parts.Ranks.ByteSymbol(b));
                    }
                }

                i += width;
            }

            return runs.Finish();
        }
        finally
        {
            runs.Dispose();
        }
    }

    /// <summary>The normalizer of these files: <c>Prepend("▁")</c> (when set) and <c>Replace(" ", "▁")</c>.</summary>
    public static string Normalize(ReadOnlySpan<char> segment, bool prepend) =>
        segment.IsEmpty ? ""
        : string.Create(segment.Length + (prepend ? 1 : 0), segment, (chars, source) =>
        {
            chars[0] = '\u2581';
            source.Replace(chars[(chars.Length - source.Length)..], ' ', '\u2581');
        });

    /// <summary>Collects the symbols of one run and merges (or bounds) it when a cut or the end comes.</summary>
    private struct Runs(HfBpeParts parts, CountBudget budget, List<int>? ids, int capacity) : IDisposable
    {
        private readonly int[] _symbols = ArrayPool<int>.Shared.Rent(capacity);
        private int _length;
        private int _last;
        private int _runs;
        private int _total;

        public void Add(int symbol)
        {
            if (_length > 0 && !parts.Joins!.MayJoin(_last, symbol))
            {
                Flush();
            }

            // Counting within a budget, a run longer than its limit is only counted (its bound) past the buffer.
            if (_length < _symbols.Length)
            {
                _symbols[_length] = symbol;
            }

            _length++;
            _last = symbol;
        }

        public int Finish()
        {
            if (_length > 0)
            {
                Flush();
            }

            return _total;
        }

        public readonly void Dispose() => ArrayPool<int>.Shared.Return(_symbols);

        private void Flush()
        {
            if (++_runs % 64 == 0)
            {
                budget.Cancellation.ThrowIfCancellationRequested();
            }

            var length = _length;
            _length = 0;

            // A run that outgrew the buffer is longer than the budget's limit, which TryMerge refuses.
            _total += length <= PieceCountCache.MaxPieceLength || ids is not null || budget.TryMerge(length)
                ? HeapBpe.Merge([], _symbols, length, parts.Ranks, ids)
                : length;
        }
    }
}
