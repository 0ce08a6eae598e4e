using AiSidecar.ExtProc.Bench;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Protocol;
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

    [GlobalSetup]
    public void Setup()
    {
        _provider = PipelineProvider.Build();
        _services = _provider.GetRequiredService<ProcessingServices>();
        _wire = [.. EnvoyMessages.Create(ChatBodies.Chat(BodyBytes)).InOrder.Select(m => m.ToByteArray())];
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
