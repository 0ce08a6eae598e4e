using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microml = Microsoft.ML.Tokenizers;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// Where counting time goes inside the tokenizer, on the text of the generated prompts: the o200k pre-tokenizer
/// (regex split) alone, a full count, and a count that stops past 8,000 tokens (the largest finite range bound).
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private Microml.Tokenizer _tokenizer = null!;
    private string _text = "";

    [Params(16 * 1024, 256 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = Microml.TiktokenTokenizer.CreateForEncoding("o200k_base");
        using var document = JsonDocument.Parse(Bench.ChatBodies.Chat(BodyBytes));
        _text = string.Join('\n', document.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()));
    }

    /// <summary>The pre-tokenizer's regex split, enumerated without encoding.</summary>
    [Benchmark]
    public int PreTokenizeOnly()
    {
        var splits = 0;
        foreach (var _ in _tokenizer.PreTokenizer!.PreTokenize(_text))
        {
            splits++;
        }

        return splits;
    }

    /// <summary>What the server does per text part: a full count.</summary>
    [Benchmark(Baseline = true)]
    public int CountTokens() => _tokenizer.CountTokens(_text);

    /// <summary>A count that stops once past 8,000 tokens: enough to pick the range.</summary>
    [Benchmark]
    public int CountUpTo8001()
    {
        _tokenizer.GetIndexByTokenCount(_text, 8001, out _, out var count);
        return count;
    }
}
