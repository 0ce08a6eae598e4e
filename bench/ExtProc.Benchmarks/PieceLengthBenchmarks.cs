using System.Text;
using AiSidecar.ExtProc.Tokenization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// What merging costs per byte as pre-tokens grow: 1 MiB of text made of random a-z words of one length, separated
/// by single spaces, counted by o200k_base without the segment cache (each word is one pre-token; the word cache
/// only holds words of up to 48 characters, and random words do not repeat). The time of one operation in
/// milliseconds is the cost per MiB.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class PieceLengthBenchmarks
{
    private TiktokenTextTokenizer _tokenizer = null!;
    private string _text = "";

    [Params(8, 64, 256, 1024, 4096, 16384, 65536, 1 << 20)]
    public int WordLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = TiktokenTextTokenizer.Create(TiktokenEncoding.O200kBase);
        var random = new Random(12);
        var text = new StringBuilder(1 << 20);
        while (text.Length < 1 << 20)
        {
            for (var i = 0; i < WordLength && text.Length < 1 << 20; i++)
            {
                text.Append((char)('a' + random.Next(26)));
            }

            text.Append(' ');
        }

        _text = text.ToString(0, 1 << 20);
    }

    /// <summary>Counts the whole text.</summary>
    [Benchmark]
    public int Count() => _tokenizer.CountTokens(_text);
}
