using System.Text.Json;
using System.Text.RegularExpressions;

namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>Added tokens, normalizer and pre-tokenizer of a <c>tokenizer.json</c>.</summary>
internal static partial class TokenizerJsonLoader
{
    // GPT-2's pattern, which a ByteLevel pre-tokenizer with use_regex=true applies.
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static (List<AddedToken> Raw, List<AddedToken> Normalized, Dictionary<string, int> All) ReadAddedTokens(string path, JsonElement root)
    {
        var raw = new List<AddedToken>();
        var normalized = new List<AddedToken>();
        var all = new Dictionary<string, int>(StringComparer.Ordinal);
        if (Prop(root, "added_tokens") is not { ValueKind: JsonValueKind.Array } tokens)
        {
            return (raw, normalized, all);
        }

        foreach (var token in tokens.EnumerateArray())
        {
            var content = Str(token, "content") ?? throw Refuse(path, "an added token has no content");
            foreach (var flag in (string[])["single_word", "lstrip", "rstrip"])
            {
                if (Prop(token, flag)?.ValueKind == JsonValueKind.True)
                {
                    throw Refuse(path, $"added token '{content}' sets {flag}");
                }
            }

            var added = new AddedToken(content, Prop(token, "id")?.GetInt32() ?? throw Refuse(path, $"added token '{content}' has no id"), Prop(token, "normalized")?.ValueKind == JsonValueKind.True);
            (added.Normalized ? normalized : raw).Add(added);
            all[content] = added.Id;
        }

        return (raw, normalized, all);
    }

    /// <summary>
    /// The one SentencePiece layout reproduced: no pre-tokenizer, normalizer <c>Prepend("▁")</c> (optional) then
    /// <c>Replace(" ", "▁")</c> (Llama 2, Mistral v0.1). Returns whether "▁" is prepended.
    /// </summary>
    private static bool ReadSentencePieceLayout(string path, JsonElement root, bool ignoreMerges)
    {
        if (ignoreMerges || Prop(root, "pre_tokenizer") is not null)
        {
            throw Refuse(path, "model.byte_fallback with a pre_tokenizer or ignore_merges (only the Llama 2 SentencePiece layout is supported)");
        }

        var steps = Prop(root, "normalizer") is { ValueKind: JsonValueKind.Object } n ? Flatten(n, "normalizers") : [];
        var prepend = steps.Count == 2 && Str(steps[0], "type") == "Prepend" && Str(steps[0], "prepend") == "\u2581";
        var replace = steps.Count > 0 && steps[^1] is var last && Str(last, "type") == "Replace"
            && Prop(last, "pattern") is { } pattern && Str(pattern, "String") == " " && Str(last, "content") == "\u2581";
        return replace && (prepend || steps.Count == 1) ? prepend
            : throw Refuse(path, "model.byte_fallback with a normalizer other than Prepend(\"\u2581\") + Replace(\" \", \"\u2581\")");
    }

    private static bool ReadNormalizer(string path, JsonElement? normalizer)
    {
        if (normalizer is not { ValueKind: JsonValueKind.Object } n)
        {
            return false;
        }

        var nfc = false;
        foreach (var step in Flatten(n, "normalizers"))
        {
            var type = Str(step, "type");
            if (type != "NFC")
            {
                throw Refuse(path, $"normalizer '{type}' (only NFC, or none, is supported)");
            }

            nfc = true;
        }

        return !nfc || NfcNormalizer.IsAvailable ? nfc
            : throw Refuse(path, "normalizer 'NFC' (this process can load neither ICU nor the runtime's normalization)");
    }

    private static IPreTokenizer ReadPreTokenizer(string path, JsonElement? preTokenizer)
    {
        var regexes = new List<Regex>();
        var byteLevel = false;
        foreach (var step in preTokenizer is { ValueKind: JsonValueKind.Object } p ? Flatten(p, "pretokenizers") : [])
        {
            switch (Str(step, "type"))
            {
                case "ByteLevel":
                    if (Prop(step, "add_prefix_space")?.ValueKind == JsonValueKind.True)
                    {
                        throw Refuse(path, "pre_tokenizer ByteLevel with add_prefix_space=true");
                    }

                    byteLevel = true;
                    if (Prop(step, "use_regex")?.ValueKind != JsonValueKind.False)
                    {
                        regexes.Add(new Regex(Gpt2Pattern, RegexSplitter.Options));
                    }

                    break;
                case "Split":
                    regexes.Add(ReadSplit(path, step));
                    break;
                case var other:
                    throw Refuse(path, $"pre_tokenizer '{other}' (only Split and ByteLevel are supported)");
            }
        }

        if (!byteLevel)
        {
            throw Refuse(path, "pre_tokenizer has no ByteLevel step (not a byte-level BPE)");
        }

        return regexes is [var only] && GptPreTokenizer.For(only.ToString()) is { } scanner ? scanner : new RegexSplitter(regexes);
    }

    private static Regex ReadSplit(string path, JsonElement split)
    {
        if (Str(split, "behavior") != "Isolated" || Prop(split, "invert")?.ValueKind == JsonValueKind.True)
        {
            throw Refuse(path, $"pre_tokenizer Split with behavior '{Str(split, "behavior")}' or invert=true (only Isolated is supported)");
        }

        var pattern = Prop(split, "pattern");
        var source = pattern is { } pt && Str(pt, "Regex") is { } regex ? regex
            : pattern is { } ps && Str(ps, "String") is { } literal ? Regex.Escape(literal)
            : throw Refuse(path, "pre_tokenizer Split has no Regex or String pattern");
        if (source.Contains("[:", StringComparison.Ordinal) || source.Contains(@"\p", StringComparison.Ordinal) && BareClass().IsMatch(source))
        {
            throw Refuse(path, "pre_tokenizer Split pattern uses Rust-only regex syntax (POSIX classes or one-letter \\pX)");
        }

        try
        {
            return new Regex(source, RegexSplitter.Options);
        }
        catch (ArgumentException)
        {
            throw Refuse(path, "pre_tokenizer Split pattern is not a valid .NET regex");
        }
    }

    private static List<JsonElement> Flatten(JsonElement element, string listName) =>
        Str(element, "type") == "Sequence" && Prop(element, listName) is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray().SelectMany(e => Flatten(e, listName))]
            : [element];

    private static JsonElement? Prop(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Str(JsonElement element, string name) =>
        Prop(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static UnsupportedTokenizerException Refuse(string path, string part) => new(path, part);

    [GeneratedRegex(@"\\p[A-Z]")]
    private static partial Regex BareClass();
}
