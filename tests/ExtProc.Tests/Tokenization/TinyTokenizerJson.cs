using System.Text.Json.Nodes;

namespace AiSidecar.ExtProc.Tests.Tokenization;

/// <summary>Writes small synthetic byte-level tokenizer.json files for registry and refusal tests.</summary>
internal static class TinyTokenizerJson
{
    /// <summary>A byte-level BPE with the 256 byte symbols, the given merges, ChatML tokens and a GPT-2-style pre-tokenizer.</summary>
    public static JsonObject Create(params string[] merges)
    {
        var vocab = new JsonObject();
        var id = 0;
        for (var b = 0; b < 256; b++)
        {
            vocab[Spell(b)] = id++;
        }

        foreach (var merge in merges)
        {
            vocab[merge.Replace(" ", "", StringComparison.Ordinal)] = id++;
        }

        return new JsonObject
        {
            ["added_tokens"] = new JsonArray(Added("<|im_start|>", 1000), Added("<|im_end|>", 1001)),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. merges.Select(m => JsonValue.Create(m))]),
            },
        };
    }

    public static string Write(string directory, JsonObject json, string name = "tokenizer.json")
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static JsonObject Added(string content, int id) => new()
    {
        ["id"] = id,
        ["content"] = content,
        ["special"] = true,
        ["normalized"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["single_word"] = false,
    };

    private static string Spell(int b)
    {
        var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        if (printable)
        {
            return ((char)b).ToString();
        }

        var n = 0;
        for (var i = 0; i < b; i++)
        {
            n += i is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF ? 0 : 1;
        }

        return ((char)(256 + n)).ToString();
    }
}
