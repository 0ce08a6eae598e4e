using System.Text;
using AiSidecar.ExtProc.Bench;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Protocol;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// The response side of one streamed chat: a 2,000-chunk SSE stream (one vLLM-shaped chat chunk per message, then the
/// usage chunk and <c>[DONE]</c>) handled by a <c>ProcessingStream</c> message by message, each reply built. Per
/// chunk (<c>OperationsPerInvoke</c>): <c>Off</c> passes the chunks on without reading them (<c>responses.readUsage:
/// false</c>; with it off Envoy would not even send them), <c>Read</c> reads usage from each as it passes,
/// <c>RemoveUsageChunk</c> also removes the injected usage chunk (every chunk then replaced). The request and the
/// response headers are sent before each iteration, outside the measurement.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class SseResponseBenchmarks
{
    private const int Chunks = 2000;

    private readonly RecordingWriter _writer = new();
    private ServiceProvider? _provider;
    private ProcessingServices _services = null!;
    private byte[][] _head = [];
    private ProcessingRequest[] _chunks = [];
    private ProcessingStream _stream = null!;

    public enum UsageMode
    {
        Off,
        Read,
        RemoveUsageChunk,
    }

    [Params(UsageMode.Off, UsageMode.Read, UsageMode.RemoveUsageChunk)]
    public UsageMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var yaml = $"""
            responses: {"{"} readUsage: {(Mode == UsageMode.Off ? "false" : "true")} {"}"}
            catalogue:
              models:
                - name: qwen3
                  usage: {"{"} injectIncludeUsage: {(Mode == UsageMode.RemoveUsageChunk ? "true" : "false")} {"}"}
            """;
        _provider = PipelineProvider.Build(yaml);
        _services = _provider.GetRequiredService<ProcessingServices>();
        var request = Encoding.UTF8.GetBytes("""{"model":"qwen3","messages":[{"role":"user","content":"Write a long story about a lighthouse."}],"stream":true}""");
        var messages = EnvoyMessages.Create(request);
        var headers = messages.ResponseHeaders.Clone();
        headers.ResponseHeaders.Headers.Headers.Single(h => h.Key == "content-type").RawValue = ByteString.CopyFromUtf8("text/event-stream; charset=utf-8");
        headers.ResponseHeaders.Headers.Headers.Remove(headers.ResponseHeaders.Headers.Headers.Single(h => h.Key == "content-length"));
        // From wire bytes for every stream: the server empties the request body message it has read.
        _head = [messages.RequestHeaders.ToByteArray(), messages.RequestBody.ToByteArray(), headers.ToByteArray()];
        _chunks = new ProcessingRequest[Chunks];
        for (var i = 0; i < Chunks - 2; i++)
        {
            var content = i == 0 ? "" : $" word{i % 97}";
            _chunks[i] = Body($$"""data: {"id":"chatcmpl-8c1f","object":"chat.completion.chunk","created":1732000000,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{{{(i == 0 ? "\"role\":\"assistant\",\"content\":\"\"" : $"\"content\":\"{content}\"")}}},"logprobs":null,"finish_reason":null}]}""" + "\n\n", false);
        }

        _chunks[Chunks - 2] = Body("""data: {"id":"chatcmpl-8c1f","object":"chat.completion.chunk","created":1732000000,"model":"Qwen/Qwen3-8B","choices":[],"usage":{"prompt_tokens":21,"total_tokens":2019,"completion_tokens":1998,"prompt_tokens_details":null}}""" + "\n\n", false);
        _chunks[Chunks - 1] = Body("data: [DONE]\n\n", true);

        // Check once that the stream is read as configured.
        StartStream();
        Stream();
        using var scrape = new MemoryStream();
        _provider.GetRequiredService<Prometheus.CollectorRegistry>().CollectAndExportAsTextAsync(scrape).GetAwaiter().GetResult();
        var read = Encoding.UTF8.GetString(scrape.ToArray()).Contains("extproc_usage_responses_total{model=\"qwen3\",source=\"sse\"} 1", StringComparison.Ordinal);
        var removed = _writer.Last is not null && Removed();
        if (read != (Mode != UsageMode.Off) || removed != (Mode == UsageMode.RemoveUsageChunk))
        {
            throw new InvalidOperationException($"The stream was not read as {Mode} asks (read: {read}, usage chunk removed: {removed})).");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    [IterationSetup]
    public void StartStream()
    {
        _writer.Reset();
        _stream = new ProcessingStream(_writer, _services, CancellationToken.None);
        foreach (var wire in _head)
        {
            _stream.HandleAsync(ProcessingRequest.Parser.ParseFrom(wire)).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The 2,000 response_body messages of one stream; the figures are per chunk.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public int Stream()
    {
        foreach (var chunk in _chunks)
        {
            _stream.HandleAsync(chunk).AsTask().GetAwaiter().GetResult();
        }

        _stream.EndAsync(ExchangeEnding.Completed).AsTask().GetAwaiter().GetResult();
        return _writer.Replies;
    }

    /// <summary>The number of response_body messages in one stream.</summary>
    public int ChunkCount => _chunks.Length;

    /// <summary>One stream (after <see cref="StartStream"/>), each chunk's handling timed into <paramref name="ticks"/> (stopwatch ticks); returns the count.</summary>
    public int TimeEachChunk(Span<long> ticks)
    {
        for (var i = 0; i < _chunks.Length; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            _stream.HandleAsync(_chunks[i]).AsTask().GetAwaiter().GetResult();
            ticks[i] = System.Diagnostics.Stopwatch.GetTimestamp() - started;
        }

        _stream.EndAsync(ExchangeEnding.Completed).AsTask().GetAwaiter().GetResult();
        return _chunks.Length;
    }

    /// <summary>The reply to the usage chunk replaced it with nothing.</summary>
    private bool Removed()
    {
        StartStream();
        for (var i = 0; i < Chunks - 1; i++)
        {
            _stream.HandleAsync(_chunks[i]).AsTask().GetAwaiter().GetResult();
        }

        return _writer.Last?.ResponseBody?.Response?.BodyMutation?.Body is { IsEmpty: true };
    }

    private static ProcessingRequest Body(string text, bool end) =>
        new() { ResponseBody = new HttpBody { Body = ByteString.CopyFromUtf8(text), EndOfStream = end } };

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.P95, StatisticColumn.Max);
    }
}
