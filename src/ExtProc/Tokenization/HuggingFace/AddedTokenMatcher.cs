using System.Buffers;

namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>
/// Finds added tokens in text, leftmost first and longest at a position, as Hugging Face tokenizers does.
/// <para/>Candidates are looked up by their first character, then by length (longest first) in a hash of contents:
/// DeepSeek V3 has 800 placeholder tokens starting with the same two characters.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, int[]> _lengthsByFirstChar;
    private readonly Dictionary<string, AddedToken>.AlternateLookup<ReadOnlySpan<char>> _byContent;
    private readonly SearchValues<char> _firstChars;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        var byContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        foreach (var token in tokens.Where(t => t.Content.Length > 0))
        {
            byContent[token.Content] = token;
        }

        _byContent = byContent.GetAlternateLookup<ReadOnlySpan<char>>();
        _lengthsByFirstChar = byContent.Keys
            .GroupBy(c => c[0])
            .ToDictionary(g => g.Key, g => g.Select(c => c.Length).Distinct().OrderDescending().ToArray());
        _firstChars = SearchValues.Create([.. _lengthsByFirstChar.Keys]);
    }

    public bool IsEmpty => _lengthsByFirstChar.Count == 0;

    /// <summary>Finds the first added token at or after <paramref name="from"/>.</summary>
    public bool TryFind(ReadOnlySpan<char> text, int from, out int index, out AddedToken? token)
    {
        var i = from;
        while (i < text.Length)
        {
            var next = text[i..].IndexOfAny(_firstChars);
            if (next < 0)
            {
                break;
            }

            i += next;
            foreach (var length in _lengthsByFirstChar[text[i]])
            {
                if (length <= text.Length - i && _byContent.TryGetValue(text.Slice(i, length), out token))
                {
                    index = i;
                    return true;
                }
            }

            i++;
        }

        index = -1;
        token = null;
        return false;
    }
}
