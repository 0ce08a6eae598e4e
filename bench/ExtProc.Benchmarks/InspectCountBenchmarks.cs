using AiSidecar.ExtProc.Bench;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// Inspect (JSON parse and extraction), inspect + count (the server's configured counter) and the whole pipeline run.
/// <para/>Each operation stamps the last user message with a new number, as distinct requests would carry distinct
/// prompts; <c>InspectAndCountRepeated</c> sends the identical body every time (the best case for any count cache).
/// </summary>
[MemoryDiagnoser]
public class InspectCountBenchmarks
{
    private ServiceProvider? _provider;
    private IRequestInspector _inspector = null!;
    private PromptCounter _counter = null!;
    private byte[] _body = [];
    private byte[] _repeated = [];
    private RequestStamp _stamp = null!;
    private long _requestNumber;

    public static IEnumerable<BodyCase> Bodies => BodyCase.All;

    [ParamsSource(nameof(Bodies))]
    public BodyCase Body { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = PipelineProvider.Build();
        _inspector = _provider.GetRequiredService<IRequestInspector>();
        _counter = _provider.GetRequiredService<TokenizerCache>().Default.Resolve();
        _body = (byte[])Body.Bytes.Clone();
        _repeated = (byte[])Body.Bytes.Clone();
        _stamp = new RequestStamp(_body);
        if (Pipeline().AsTask().GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException("The generated body was rejected; the benchmark would measure the error path.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    /// <summary>JSON parse and extraction of messages, model and options.</summary>
    [Benchmark]
    public object Inspect() => _inspector.Inspect(ApiKind.ChatCompletions, NextBody());

    /// <summary>Inspect then count, as the pipeline does, on a prompt not seen before.</summary>
    [Benchmark]
    public int InspectAndCount() => _counter.Count(_inspector.Inspect(ApiKind.ChatCompletions, NextBody())).Tokens;

    /// <summary>Inspect then count the same body every time.</summary>
    [Benchmark]
    public int InspectAndCountRepeated() => _counter.Count(_inspector.Inspect(ApiKind.ChatCompletions, _repeated)).Tokens;

    /// <summary>The request stages over a new exchange, then its end: inspect, resolve, select, rewrite, count, route.</summary>
    [Benchmark]
    public ValueTask<object?> Pipeline() => Decide(NextBody());

    private async ValueTask<object?> Decide(byte[] body) =>
        await PipelineProvider.DecideAsync(_provider!, PipelineProvider.Exchange(_provider!, ApiKind.ChatCompletions, "/v1/chat/completions", body)).ConfigureAwait(false);

    private byte[] NextBody()
    {
        _stamp.Write(_body, ++_requestNumber);
        return _body;
    }
}
