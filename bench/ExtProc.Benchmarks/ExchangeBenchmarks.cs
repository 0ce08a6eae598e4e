using AiSidecar.ExtProc.Bench;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Telemetry;
using Envoy.Config.Core.V3;
using BenchmarkDotNet.Attributes;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// The whole per-request decision path without the transport: Envoy's three BUFFERED-mode messages parsed from
/// their wire bytes, handled by a <c>ProcessingStream</c> (headers, body → pipeline → decision mutation, response
/// headers, metrics) and each reply serialized. <c>NullExchange</c> is the same with empty replies: the floor.
/// <para/>Each exchange carries a distinct prompt, as distinct requests do.
/// </summary>
[MemoryDiagnoser]
public class ExchangeBenchmarks
{
    private readonly RecordingWriter _writer = new();
    private ServiceProvider? _provider;
    private ProcessingServices _services = null!;
    private byte[][] _wire = [];
    private RequestStamp _stamp = null!;
    private long _requestNumber;

    [Params(2 * 1024, 16 * 1024, 256 * 1024)]
    public int BodyBytes { get; set; }

    /// <summary>A W3C <c>traceparent</c> the client sends (<see cref="TracingBenchmarks"/>); none by default.</summary>
    public string? TraceParent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _provider = PipelineProvider.Build();
        _services = _provider.GetRequiredService<ProcessingServices>();
        var messages = EnvoyMessages.Create(ChatBodies.Chat(BodyBytes));
        if (TraceParent is { } traceParent)
        {
            messages.RequestHeaders.RequestHeaders.Headers.Headers.Add(new HeaderValue { Key = "traceparent", RawValue = ByteString.CopyFromUtf8(traceParent) });
        }

        _wire = [.. messages.InOrder.Select(m => m.ToByteArray())];
        _stamp = new RequestStamp(_wire[1]);

        // Check once that the benchmark measures the routed path, not a rejection.
        var stream = new ProcessingStream(_writer, _services, CancellationToken.None);
        _writer.Reset();
        stream.HandleAsync(ProcessingRequest.Parser.ParseFrom(_wire[0])).AsTask().GetAwaiter().GetResult();
        stream.HandleAsync(ProcessingRequest.Parser.ParseFrom(_wire[1])).AsTask().GetAwaiter().GetResult();
        var mutation = _writer.Last?.RequestBody?.Response?.HeaderMutation;
        if (mutation is null || !mutation.SetHeaders.Any(h => h.Header.Key == _services.Tables.Current.Headers.Pool))
        {
            throw new InvalidOperationException($"The body reply carries no routing decision: {_writer.Last}");
        }

        if (ExtProcTelemetry.Listening != mutation.SetHeaders.Any(h => h.Header.Key == ExtProcTelemetry.TraceParentHeader))
        {
            throw new InvalidOperationException($"A traceparent is written exactly when tracing is on ({ExtProcTelemetry.Listening}): {_writer.Last}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    [Benchmark(Baseline = true)]
    public int NullExchange()
    {
        _writer.Reset();
        foreach (var wire in _wire)
        {
            var message = ProcessingRequest.Parser.ParseFrom(wire);
            _ = _writer.WriteAsync(EnvoyMessages.EmptyReply(message));
        }

        return _writer.Replies;
    }

    /// <summary>One exchange with a prompt not seen before (the request number is stamped into the body's wire bytes).</summary>
    [Benchmark]
    public async Task<int> Exchange()
    {
        _stamp.Write(_wire[1], ++_requestNumber);
        _writer.Reset();
        var stream = new ProcessingStream(_writer, _services, CancellationToken.None);
        foreach (var wire in _wire)
        {
            await stream.HandleAsync(ProcessingRequest.Parser.ParseFrom(wire)).ConfigureAwait(false);
        }

        // The stream's end ends its exchange (leases, span), as the gRPC service does.
        await stream.EndAsync(ExchangeEnding.Completed).ConfigureAwait(false);
        return _writer.Replies;
    }
}
