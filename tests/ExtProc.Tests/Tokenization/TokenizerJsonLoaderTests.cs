using System.Text.Json.Nodes;
using AiSidecar.ExtProc.Tokenization.HuggingFace;

namespace AiSidecar.ExtProc.Tests.Tokenization;

public sealed class TokenizerJsonLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tokjson").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_TinyByteLevelBpe_AppliesMergesAndAddedTokens()
    {
        var tokenizer = TokenizerJsonLoader.Load(TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create("h e", "he l")), cache: null);

        // "hel" merges to one token; "<|im_start|>" is an added token; "lo" stays two bytes.
        Assert.Equal([257, 1000, 108, 111], tokenizer.EncodeToIds("hel<|im_start|>lo"));
    }

    [Theory]
    [InlineData("byte_fallback", "model.byte_fallback")]
    [InlineData("metaspace", "pre_tokenizer 'Metaspace'")]
    [InlineData("unigram", "model.type 'Unigram'")]
    [InlineData("lstrip", "sets lstrip")]
    [InlineData("nfkc", "normalizer 'NFKC'")]
    [InlineData("merged_with_next", "behavior 'MergedWithNext'")]
    public void Load_UnsupportedPart_IsRefusedNamingFileAndPart(string variant, string part)
    {
        var json = TinyTokenizerJson.Create("h e");
        switch (variant)
        {
            case "byte_fallback": json["model"]!["byte_fallback"] = true; break;
            case "metaspace": json["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace" }; break;
            case "unigram": json["model"]!["type"] = "Unigram"; break;
            case "lstrip": json["added_tokens"]![0]!["lstrip"] = true; break;
            case "nfkc": json["normalizer"] = new JsonObject { ["type"] = "NFKC" }; break;
            case "merged_with_next":
                json["pre_tokenizer"] = new JsonObject
                {
                    ["type"] = "Split",
                    ["pattern"] = new JsonObject { ["Regex"] = "\\s+" },
                    ["behavior"] = "MergedWithNext",
                };
                break;
        }

        var path = TinyTokenizerJson.Write(_dir, json);

        var error = Assert.Throws<UnsupportedTokenizerException>(() => TokenizerJsonLoader.Load(path, cache: null));
        Assert.Equal(path, error.File);
        Assert.Contains(part, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotByteLevelVocabulary_IsRefused()
    {
        var json = TinyTokenizerJson.Create();
        json["model"]!["vocab"] = new JsonObject { ["a"] = 0 };

        var error = Assert.Throws<UnsupportedTokenizerException>(() => TokenizerJsonLoader.Load(TinyTokenizerJson.Write(_dir, json), cache: null));

        Assert.Contains("byte-level symbol", error.Part, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TemplateProcessingWithBos_CountsOneSpecialTokenPerPrompt()
    {
        var json = TinyTokenizerJson.Create();
        json["post_processor"] = JsonNode.Parse("""
            {"type":"Sequence","processors":[{"type":"ByteLevel"},{"type":"TemplateProcessing",
             "single":[{"SpecialToken":{"id":"<|im_start|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}]}]}
            """);

        Assert.Equal(1, TokenizerJsonLoader.Load(TinyTokenizerJson.Write(_dir, json), cache: null).PromptSpecialTokens);
    }

    [Theory]
    [InlineData("""{"tokenizer_class":"LlamaTokenizerFast","add_bos_token":true}""", 1)]
    [InlineData("""{"tokenizer_class":"LlamaTokenizerFast","add_bos_token":true,"add_eos_token":true}""", 2)]
    [InlineData("""{"tokenizer_class":"Qwen2Tokenizer","add_bos_token":true}""", 0)]
    public void Load_SiblingTokenizerConfig_DecidesLlamaFastSpecialTokens(string config, int expected)
    {
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), config);

        Assert.Equal(expected, TokenizerJsonLoader.Load(TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create()), cache: null).PromptSpecialTokens);
    }

    [Fact]
    public void Load_SentencePieceByteFallback_MergesCharactersAndFallsBackToBytes()
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1 };
        for (var b = 0; b < 256; b++)
        {
            vocab[$"<0x{b:X2}>"] = 3 + b;
        }

        vocab["\u2581"] = 300;
        vocab["h"] = 301;
        vocab["i"] = 302;
        vocab["\u2581h"] = 303;
        vocab["\u2581hi"] = 304;
        var json = new JsonObject
        {
            ["added_tokens"] = new JsonArray(),
            ["normalizer"] = JsonNode.Parse("""{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"\u2581"},{"type":"Replace","pattern":{"String":" "},"content":"\u2581"}]}"""),
            ["pre_tokenizer"] = null,
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["byte_fallback"] = true,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray("\u2581 h", "\u2581h i"),
            },
        };

        var tokenizer = TokenizerJsonLoader.Load(TinyTokenizerJson.Write(_dir, json), cache: null);

        // "hi hé" → "▁hi▁hé": "▁hi" merges, "▁h" merges, "é" is not in the vocabulary: its bytes C3 A9.
        Assert.Equal([304, 303, 3 + 0xC3, 3 + 0xA9], tokenizer.EncodeToIds("hi hé"));
    }

    [Fact]
    public void Load_SentencePieceWithMetaspace_IsRefused()
    {
        var json = TinyTokenizerJson.Create();
        json["model"]!["byte_fallback"] = true;
        var vocab = json["model"]!["vocab"]!.AsObject();
        for (var b = 0; b < 256; b++)
        {
            vocab[$"<0x{b:X2}>"] = 2000 + b;
        }

        json["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace" };

        var error = Assert.Throws<UnsupportedTokenizerException>(() => TokenizerJsonLoader.Load(TinyTokenizerJson.Write(_dir, json), cache: null));
        Assert.Contains("only the Llama 2 SentencePiece layout", error.Part, StringComparison.Ordinal);
    }
}
