using System.Text;
using AiSidecar.ExtProc.Bench;
using AiSidecar.ExtProc.Caching;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// The response cache's own CPU work, without Redis: the key of a request (cacheable test, canonical form, SHA-256),
/// a stored completion replayed as SSE (a streamed hit), and a stream assembled into the completion stored (a miss's
/// write), for a chat body and an answer of about <see cref="Bytes"/> each.
/// </summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private ServiceProvider? _provider;
    private Exchange _exchange = null!;
    private byte[] _completion = [];
    private byte[] _stream = [];

    [Params(1024, 16 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _provider = PipelineProvider.Build();
        var body = ChatBodies.Chat(Bytes);
        body = [.. body.AsSpan(0, body.Length - 1), .. ",\"temperature\":0}"u8];
        _exchange = PipelineProvider.Exchange(_provider, ApiKind.ChatCompletions, "/v1/chat/completions", body);
        var words = Enumerable.Range(0, Bytes / 6).Select(i => $"word{i % 10} ").ToArray();
        var usage = "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":" + words.Length + ",\"total_tokens\":" + (words.Length + 10) + "}";
        _completion = Encoding.UTF8.GetBytes("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"" + string.Concat(words) + "\"},\"finish_reason\":\"stop\"}]," + usage + "}");
        const string Chunk = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen3\",\"choices\":";
        _stream = Encoding.UTF8.GetBytes(string.Concat(words.Select(w => Chunk + "[{\"index\":0,\"delta\":{\"content\":\"" + w + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"))
            + Chunk + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n"
            + Chunk + "[]," + usage + "}\n\ndata: [DONE]\n\n");
        if (!CacheKey.TryCreate(_exchange.Body, _exchange, marked: false, "b:", out _, out _) || StreamAssembler.TryAssemble(_stream) is null)
        {
            throw new InvalidOperationException("the request is not cacheable, or the stream does not assemble");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    [Benchmark]
    public string Key() => CacheKey.TryCreate(_exchange.Body, _exchange, marked: false, "b:", out var key, out _) ? key : "";

    [Benchmark]
    public int ReplayAsSse() => CacheReplay.ToSse(_completion, includeUsage: true)!.Value.Length;

    [Benchmark]
    public int AssembleStream() => StreamAssembler.TryAssemble(_stream)!.Length;
}
