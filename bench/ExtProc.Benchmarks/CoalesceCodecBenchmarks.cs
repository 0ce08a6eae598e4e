using System.Globalization;
using System.Text;
using AiSidecar.ExtProc.Coalescing.Codecs;
using BenchmarkDotNet.Attributes;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// The codec's share of a coalesced batch (issue 12): 32 single-input embedding requests read, merged into one
/// upstream body, and the engine's answer (1024 floats per input, as vLLM prints them) split back into 32 answers.
/// Divide by 32 for the cost per request.
/// </summary>
[MemoryDiagnoser]
public class CoalesceCodecBenchmarks
{
    private const int Members = 32;
    private const int Dimensions = 1024;

    private readonly EmbeddingsCodec _codec = new();
    private byte[][] _bodies = [];
    private CoalesceMember[] _members = [];
    private byte[] _answer = [];

    [GlobalSetup]
    public void Setup()
    {
        _bodies = [.. Enumerable.Range(0, Members).Select(i => Encoding.UTF8.GetBytes(
            $$"""{"model":"intfloat/e5-large-v2","input":"passage {{i}}: the quick brown fox jumps over the lazy dog","encoding_format":"float","user":"u{{i}}"}"""))];
        _members = ReadAll();
        var random = new Random(1);
        var data = Enumerable.Range(0, Members).Select(i =>
            $$"""{"index":{{i}},"object":"embedding","embedding":[{{string.Join(',', Enumerable.Range(0, Dimensions).Select(_ => (random.NextDouble() - 0.5).ToString("R", CultureInfo.InvariantCulture)))}}]}""");
        _answer = Encoding.UTF8.GetBytes(
            $$$"""{"id":"embd-1","object":"list","created":1700000000,"model":"intfloat/e5-large-v2","data":[{{{string.Join(',', data)}}}],"usage":{"prompt_tokens":{{{Members * 14}}},"total_tokens":{{{Members * 14}}},"completion_tokens":0,"prompt_tokens_details":null}}""");
        if (_codec.Split(_answer, _members, null).Error is { } error)
        {
            throw new InvalidOperationException(error);
        }
    }

    [Benchmark]
    public int Read() => ReadAll().Length;

    [Benchmark]
    public byte[] Merge() => _codec.Merge(_members);

    [Benchmark]
    public int Split() => _codec.Split(_answer, _members, null).Bodies!.Count;

    private CoalesceMember[] ReadAll()
    {
        var members = new CoalesceMember[Members];
        for (var i = 0; i < members.Length; i++)
        {
            if (!_codec.TryRead(_bodies[i], out var member, out _))
            {
                throw new InvalidOperationException("not coalescible");
            }

            members[i] = member;
        }

        return members;
    }
}
