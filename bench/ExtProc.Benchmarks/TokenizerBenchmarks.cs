using System.Text.Json;
using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Tokenization;
using BenchmarkDotNet.Attributes;
using Microml = Microsoft.ML.Tokenizers;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// Where counting time goes inside the tokenizer, on the text of the generated prompts (o200k_base): the pre-tokenizer
/// as the regex and as the server's scanner, the server's full count (word cache warm, no segment cache), and
/// Microsoft.ML.Tokenizers' count of the same text for comparison.
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private readonly List<Range> _pieces = [];
    private RegexSplitter _regex = null!;
    private GptPreTokenizer _scanner = null!;
    private TiktokenTextTokenizer _ours = null!;
    private Microml.Tokenizer _library = null!;
    private string _text = "";

    [Params(2 * 1024, 256 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _regex = new RegexSplitter([new Regex(TiktokenPatterns.O200kBase, RegexSplitter.Options)]);
        _scanner = GptPreTokenizer.For(TiktokenPatterns.O200kBase)!;
        _ours = TiktokenTextTokenizer.Create(TiktokenEncoding.O200kBase);
        _library = Microml.TiktokenTokenizer.CreateForEncoding("o200k_base");
        using var document = JsonDocument.Parse(Bench.ChatBodies.Chat(BodyBytes));
        _text = string.Join('\n', document.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()));
    }

    /// <summary>The pattern's regex (the test oracle), enumerated into ranges.</summary>
    [Benchmark]
    public int SplitRegex()
    {
        _regex.Split(_text, _pieces);
        return _pieces.Count;
    }

    /// <summary>The server's pre-tokenizer.</summary>
    [Benchmark]
    public int SplitScanner()
    {
        _scanner.Split(_text, _pieces);
        return _pieces.Count;
    }

    /// <summary>The server's count of a text (no segment cache: every call counts).</summary>
    [Benchmark(Baseline = true)]
    public int CountOurs() => _ours.CountTokens(_text);

    /// <summary>Microsoft.ML.Tokenizers' count of the same text.</summary>
    [Benchmark]
    public int CountLibrary() => _library.CountTokens(_text);
}
