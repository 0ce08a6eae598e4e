using System.Text.Json;
using AiSidecar.ExtProc.Tokenization;
using AiSidecar.ExtProc.Tokenization.HuggingFace;
using Microsoft.ML.Tokenizers;

namespace AiSidecar.ExtProc.Tests.Tokenization;

/// <summary>The heap merge must choose exactly what Microsoft.ML.Tokenizers' merge loops choose (the oracle).</summary>
public sealed class HeapBpeTests
{
    private static IEnumerable<string> Pieces()
    {
        var random = new Random(1234);
        string[] alphabets = ["abcdefghij", "xyzxyzaaab", "的一是不了人我在有他", "éàüßøñ", "0123456789", "+-*/=<>!"];
        foreach (var alphabet in alphabets)
        {
            for (var n = 0; n < 8; n++)
            {
                var length = n < 4 ? random.Next(1, 40) : random.Next(HeapBpe.Threshold + 1, 1200);
                yield return new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            }
        }
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void EncodeToIds_TiktokenPieces_EqualsLibraryMerge(string encoding)
    {
        var library = TiktokenTokenizer.CreateForEncoding(encoding);
        var ours = GoldenFiles.Tokenizer(encoding);
        foreach (var piece in Pieces())
        {
            Assert.Equal(library.EncodeToIds(piece), ours.EncodeToIds(piece));
        }
    }

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3")]
    [InlineData("deepseek_v3")]
    public void Count_HfPieces_EqualsLibraryMerge(string model)
    {
        var parts = ((HfBpeTokenizer)GoldenFiles.Tokenizer(model)).Parts;
        var oracle = LibraryBpe(GoldenFiles.ModelFile(model));
        foreach (var piece in Pieces())
        {
            var ids = new List<int>();
            var count = HeapBpe.Count(piece, parts.Ranks, ids);

            Assert.Equal(oracle.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false), ids);
            Assert.Equal(ids.Count, count);
        }
    }

    private static BpeTokenizer LibraryBpe(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(file));
        var model = document.RootElement.GetProperty("model");
        var vocabulary = model.GetProperty("vocab").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt32())).ToList();
        var merges = model.GetProperty("merges").EnumerateArray()
            .Select(m => m.ValueKind == JsonValueKind.Array ? $"{m[0].GetString()} {m[1].GetString()}" : m.GetString()!).ToList();
        return BpeTokenizer.Create(new BpeOptions(vocabulary) { Merges = merges, ByteLevel = true });
    }

    [Fact]
    public void CountTokens_200KLetterRun_CountsLikeTheReference()
    {
        // One 200,000-letter pre-token: tiktoken gives 25,000 tokens ("xxxxxxxx" is one token in o200k_base).
        Assert.Equal(25_000, GoldenFiles.Tokenizer("o200k_base").CountTokens(new string('x', 200_000)));
    }
}
