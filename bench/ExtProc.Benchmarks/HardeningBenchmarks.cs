using AiSidecar.ExtProc.Bench;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tokenization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// Issue 10: the cost of inspecting and counting one large chat body (<see cref="HardeningBodies"/>), alone and as
/// the whole request pipeline, with the default tokenizer (o200k_base). Each operation stamps a new number into the
/// prompt, so no count cache answers it. One invocation per iteration: the slowest inputs took seconds each.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class HardeningBenchmarks
{
    // A message timeout far above any count, so the pipeline's hold deadline never cuts a measured operation.
    private const string Config = "processing:\n  messageTimeoutMs: 600000\n";

    private ServiceProvider? _provider;
    private IRequestInspector _inspector = null!;
    private PromptCounter _counter = null!;
    private byte[] _body = [];
    private RequestStamp _stamp = null!;
    private long _requestNumber;

    public static IEnumerable<HardeningBodies> Bodies => HardeningBodies.All;

    [ParamsSource(nameof(Bodies))]
    public HardeningBodies Body { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = PipelineProvider.Build(Config);
        _inspector = _provider.GetRequiredService<IRequestInspector>();
        _counter = _provider.GetRequiredService<TokenizerCache>().Default.Resolve();
        _body = (byte[])Body.Bytes.Clone();
        _stamp = new RequestStamp(_body);
        var decision = Decide().AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("The body was rejected; the benchmark would measure the error path.");
        Console.WriteLine($"// {Body}: {Body.Bytes.Length} bytes, {decision.PromptTokens} tokens, exact: {decision.PromptTokensExact}");
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    /// <summary>JSON parse and extraction, then the count.</summary>
    [Benchmark]
    public int InspectAndCount() => _counter.Count(_inspector.Inspect(ApiKind.ChatCompletions, NextBody())).Tokens;

    /// <summary>The request stages over a new exchange, then its end.</summary>
    [Benchmark]
    public async ValueTask<object?> Pipeline() => (await Decide().ConfigureAwait(false))?.PromptTokens;

    private ValueTask<RoutingDecision?> Decide() =>
        PipelineProvider.DecideAsync(_provider!, PipelineProvider.Exchange(_provider!, ApiKind.ChatCompletions, "/v1/chat/completions", NextBody()));

    private byte[] NextBody()
    {
        _stamp.Write(_body, ++_requestNumber);
        return _body;
    }
}
