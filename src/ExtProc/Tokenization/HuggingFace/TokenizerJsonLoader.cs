using System.Text.Json;

namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> of a byte-level BPE model. Anything whose behaviour this server does
/// not reproduce exactly raises <see cref="UnsupportedTokenizerException"/> naming the file and the part.
/// </summary>
internal static partial class TokenizerJsonLoader
{
    public static HfBpeTokenizer Load(string path, SegmentCountCache? cache) => Load(path, File.ReadAllBytes(path), cache);

    /// <summary>Reads the file's <paramref name="content"/>, already read by the caller; <paramref name="path"/> names it in errors.</summary>
    public static HfBpeTokenizer Load(string path, ReadOnlyMemory<byte> content, SegmentCountCache? cache)
    {
        using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 256 });
        var root = document.RootElement;
        var model = Prop(root, "model") ?? throw Refuse(path, "it has no 'model'");
        CheckModel(path, model);

        var sentencePiece = Prop(model, "byte_fallback")?.ValueKind == JsonValueKind.True;
        var ignoreMerges = Prop(model, "ignore_merges")?.ValueKind == JsonValueKind.True;
        var vocabulary = ReadVocabulary(path, model);
        var byteSymbols = sentencePiece ? SentencePieceBytes(path, vocabulary) : ByteLevelBytes(path, vocabulary);
        var merges = ReadMerges(path, model);
        var (raw, normalized, all) = ReadAddedTokens(path, root);
        var prepend = false;
        var nfc = false;
        IPreTokenizer splitter;
        if (sentencePiece)
        {
            prepend = ReadSentencePieceLayout(path, root, ignoreMerges);
            splitter = new RegexSplitter([]);
        }
        else
        {
            nfc = ReadNormalizer(path, Prop(root, "normalizer"));
            splitter = ReadPreTokenizer(path, Prop(root, "pre_tokenizer"));
        }

        var parts = new HfBpeParts
        {
            RawTokens = new AddedTokenMatcher(raw),
            NormalizedTokens = new AddedTokenMatcher(normalized),
            AddedTokens = all,
            Nfc = nfc,
            Splitter = splitter,
            Ranks = BuildRanks(path, vocabulary, merges, byteSymbols),
            IgnoreMerges = ignoreMerges,
            SentencePiece = sentencePiece,
            PrependSpace = prepend,
            Joins = sentencePiece ? SymbolJoins.Build(merges, vocabulary, byteSymbols) : null,
            PromptSpecialTokens = PromptSpecialTokenCount.Read(path, root),
            // Kept where whole pieces or code points are looked up; the rank table covers the rest.
            Vocabulary = ignoreMerges || sentencePiece ? vocabulary : null,
        };
        return new HfBpeTokenizer(path, parts, cache);
    }

    private static void CheckModel(string path, JsonElement model)
    {
        var type = Str(model, "type");
        if (type != "BPE")
        {
            throw Refuse(path, $"model.type '{type ?? "(none)"}' (only byte-level BPE is supported; SentencePiece Unigram/WordPiece files are not)");
        }

        if (Prop(model, "dropout") is { ValueKind: JsonValueKind.Number } dropout && dropout.GetDouble() != 0)
        {
            throw Refuse(path, "model.dropout (random merges cannot be counted exactly)");
        }

        if (!string.IsNullOrEmpty(Str(model, "continuing_subword_prefix")) || !string.IsNullOrEmpty(Str(model, "end_of_word_suffix")))
        {
            throw Refuse(path, "model.continuing_subword_prefix / end_of_word_suffix");
        }
    }

    private static Dictionary<string, int> ReadVocabulary(string path, JsonElement model)
    {
        if (Prop(model, "vocab") is not { ValueKind: JsonValueKind.Object } vocab)
        {
            throw Refuse(path, "model.vocab is not an object");
        }

        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
        {
            result[entry.Name] = entry.Value.GetInt32();
        }

        return result;
    }

    private static MergeRanks BuildRanks(string path, Dictionary<string, int> vocabulary, List<string> merges, int[] byteSymbols)
    {
        var pairs = MergeRanks.NewTable(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var merge = merges[rank];
            var space = merge.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                throw Refuse(path, $"merge {rank} is not two symbols");
            }

            var left = merge[..space];
            var right = merge[(space + 1)..];
            if (!vocabulary.TryGetValue(left, out var a) || !vocabulary.TryGetValue(right, out var b) || !vocabulary.TryGetValue(left + right, out var merged))
            {
                throw Refuse(path, $"merge {rank} names a token missing from model.vocab");
            }

            pairs[MergeRanks.Key(a, b)] = (rank, merged);
        }

        return new MergeRanks(pairs, byteSymbols);
    }

    /// <summary>Byte-level BPE needs all 256 byte symbols; without them text would fall to an unknown token.</summary>
    private static int[] ByteLevelBytes(string path, Dictionary<string, int> vocabulary)
    {
        var ids = new int[256];
        Span<byte> one = stackalloc byte[1];
        Span<char> spelled = stackalloc char[1];
        for (var b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            ByteLevelAlphabet.Spell(one, spelled);
            ids[b] = vocabulary.TryGetValue(spelled.ToString(), out var id) ? id
                : throw Refuse(path, $"model.vocab lacks the byte-level symbol of byte 0x{b:X2} (not a byte-level vocabulary)");
        }

        return ids;
    }

    /// <summary>SentencePiece byte fallback needs the 256 <c>&lt;0xXX&gt;</c> tokens.</summary>
    private static int[] SentencePieceBytes(string path, Dictionary<string, int> vocabulary)
    {
        var ids = new int[256];
        for (var b = 0; b < 256; b++)
        {
            ids[b] = vocabulary.TryGetValue($"<0x{b:X2}>", out var id) ? id
                : throw Refuse(path, $"model.byte_fallback without the byte token <0x{b:X2}> in model.vocab");
        }

        return ids;
    }

    private static List<string> ReadMerges(string path, JsonElement model)
    {
        var merges = new List<string>();
        if (Prop(model, "merges") is not { ValueKind: JsonValueKind.Array } array)
        {
            throw Refuse(path, "model.merges is not an array");
        }

        foreach (var merge in array.EnumerateArray())
        {
            merges.Add(merge.ValueKind switch
            {
                JsonValueKind.String => merge.GetString()!,
                JsonValueKind.Array when merge.GetArrayLength() == 2 => $"{merge[0].GetString()} {merge[1].GetString()}",
                _ => throw Refuse(path, "model.merges holds an entry that is neither \"a b\" nor [a, b]"),
            });
        }

        return merges;
    }
}
