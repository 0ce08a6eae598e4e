using AiSidecar.ExtProc.Bench;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
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
    private ITokenCounter _counter = null!;
    private IInferencePipeline _pipeline = null!;
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
        _counter = _provider.GetRequiredService<ITokenCounter>();
        _pipeline = _provider.GetRequiredService<IInferencePipeline>();
        _body = (byte[])Body.Bytes.Clone();
        _repeated = (byte[])Body.Bytes.Clone();
        _stamp = new RequestStamp(_body);
        if (_pipeline.Run(ApiKind.ChatCompletions, _body).Decision is null)
        {
            throw new InvalidOperationException("The generated body was rejected; the benchmark would measure the error path.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    /// <summary>JSON parse and extraction of messages, model and options.</summary>
    [Benchmark]
    public InferenceRequest Inspect() => _inspector.Inspect(ApiKind.ChatCompletions, NextBody());

    /// <summary>Inspect then count, as the pipeline does, on a prompt not seen before.</summary>
    [Benchmark]
    public int InspectAndCount() => _counter.CountPrompt(_inspector.Inspect(ApiKind.ChatCompletions, NextBody()));

    /// <summary>Inspect then count the same body every time.</summary>
    [Benchmark]
    public int InspectAndCountRepeated() => _counter.CountPrompt(_inspector.Inspect(ApiKind.ChatCompletions, _repeated));

    /// <summary><c>IInferencePipeline.Run</c>: inspect, model check, count, range decision, activity.</summary>
    [Benchmark]
    public PipelineOutcome Pipeline() => _pipeline.Run(ApiKind.ChatCompletions, NextBody());

    private byte[] NextBody()
    {
        _stamp.Write(_body, ++_requestNumber);
        return _body;
    }
}
