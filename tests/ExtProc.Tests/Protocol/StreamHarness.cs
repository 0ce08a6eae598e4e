using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Telemetry;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Protocol;

/// <summary>Drives one <see cref="ProcessingStream"/> in process and records its replies.</summary>
internal sealed class StreamHarness : IServerStreamWriter<ProcessingResponse>, IDisposable
{
    private readonly ServiceProvider _provider;

    public StreamHarness(Dictionary<string, string?>? config = null, IInferencePipeline? pipeline = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config ?? []).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        if (pipeline is not null)
        {
            services.AddSingleton(pipeline);
        }

        services.AddInferencePipeline().AddExtProcProtocol().AddExtProcTelemetry(configuration);
        _provider = services.BuildServiceProvider();
        Stream = new ProcessingStream(this, _provider.GetRequiredService<ProcessingServices>(), CancellationToken.None);
    }

    public ProcessingStream Stream { get; }

    public List<ProcessingResponse> Replies { get; } = [];

    public ExtProcMetrics Metrics => _provider.GetRequiredService<ExtProcMetrics>();

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(ProcessingResponse message)
    {
        Replies.Add(message);
        return Task.CompletedTask;
    }

    public async Task<bool> SendAsync(ProcessingRequest message) => await Stream.HandleAsync(message);

    public static ProcessingRequest Headers(string path, bool endOfStream = false, string method = "POST", params (string Key, string Value)[] extra)
    {
        var map = new HeaderMap();
        foreach (var (key, value) in new[] { (":method", method), (":path", path), (":authority", "llm.local"), (":scheme", "http") }.Concat(extra))
        {
            map.Headers.Add(new HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) });
        }

        return new ProcessingRequest { RequestHeaders = new HttpHeaders { Headers = map, EndOfStream = endOfStream } };
    }

    public static ProcessingRequest Body(string text, bool endOfStream = true) => Body(System.Text.Encoding.UTF8.GetBytes(text), endOfStream);

    public static ProcessingRequest Body(byte[] bytes, bool endOfStream = true) =>
        new() { RequestBody = new HttpBody { Body = ByteString.CopyFrom(bytes), EndOfStream = endOfStream } };

    public static Dictionary<string, string?> Mode(string requestMode) => new() { ["processing:assumedRequestBodyMode"] = requestMode };

    public static Dictionary<string, string> SetHeaders(CommonResponse response) =>
        response.HeaderMutation.SetHeaders.ToDictionary(h => h.Header.Key, h => h.Header.RawValue.ToStringUtf8());

    public void Dispose() => _provider.Dispose();
}
