using System.Diagnostics;
using AiSidecar.ExtProc.Telemetry;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// What tracing costs on the exchange path: <see cref="ExchangeBenchmarks.Exchange"/> (16 KB body, a client
/// <c>traceparent</c>) with nobody listening, and with the OpenTelemetry SDK tracing every exchange (always-on sampler,
/// as <c>samplingRatio: 1</c>) into a processor that drops the spans: the server's own cost (trace context read and
/// written, the exchange span, the count and admission spans with their attributes), without the exporter's, which
/// batches on its own thread.
/// </summary>
[MemoryDiagnoser]
public class TracingBenchmarks
{
    private readonly ExchangeBenchmarks _exchange = new() { BodyBytes = 16 * 1024, TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" };
    private readonly Pipeline.RequestHead _head = new() { Method = "POST", Path = "/v1/chat/completions", TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" };
    private TracerProvider? _tracer;
    private ServiceProvider? _provider;
    private Routing.RoutingTable? _table;
    private Pipeline.ExchangeServices? _exchangeServices;

    [Params(false, true)]
    public bool Traced { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Traced)
        {
            _tracer = Sdk.CreateTracerProviderBuilder()
                .AddSource(ExtProcTelemetry.SourceName)
                .SetSampler(new AlwaysOnSampler())
                .AddProcessor(new Dropped())
                .Build();
        }

        _exchange.Setup();
        _provider = PipelineProvider.Build();
        _table = _provider.GetRequiredService<Routing.IRoutingTableSource>().Current;
        _exchangeServices = _provider.GetRequiredService<Pipeline.ExchangeServices>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _exchange.Cleanup();
        _provider?.Dispose();
        _tracer?.Dispose();
    }

    [Benchmark]
    public Task<int> Exchange() => _exchange.Exchange();

    /// <summary>
    /// Only the tracing an exchange does, on an exchange that runs no stage: the trace context read from its head, the
    /// exchange span, the count and admission spans with their attributes, the upstream <c>traceparent</c>, the end.
    /// Untraced, the same calls find nobody listening.
    /// </summary>
    [Benchmark]
    public async Task<string?> TracingOnly()
    {
        var exchange = new Pipeline.Exchange(_table!, _head, _exchangeServices!, CancellationToken.None);
        exchange.Span = ExtProcTelemetry.StartExchange(Inspection.ApiKind.ChatCompletions, _head);
        ExtProcTelemetry.Counted(ExtProcTelemetry.StartStage(exchange, "extproc.count"), 123, exact: true, "qwen3");
        ExtProcTelemetry.StageEnded(exchange, Pipeline.StageResult.Continue);
        ExtProcTelemetry.Admitted(ExtProcTelemetry.StartStage(exchange, "extproc.admission"), null, "llm-small");
        ExtProcTelemetry.StageEnded(exchange, Pipeline.StageResult.Continue);
        var traceParent = ExtProcTelemetry.TraceParentOf(exchange.Span);
        await exchange.EndAsync(Pipeline.ExchangeEnding.Completed).ConfigureAwait(false);
        return traceParent;
    }

    /// <summary>Ends every span without keeping or exporting it.</summary>
    private sealed class Dropped : BaseProcessor<Activity>;
}
