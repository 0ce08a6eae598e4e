using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Protocol;

/// <summary>Drives one <see cref="ProcessingStream"/> in process and records its replies.</summary>
internal sealed class StreamHarness : IServerStreamWriter<ProcessingResponse>, IDisposable
{
    private readonly ServiceProvider _provider;

    /// <param name="overrides">Config keys over the embedded defaults (<c>processing:maxBodyBytes</c> → <c>100</c>).</param>
    /// <param name="configure">Adds services, such as test stages.</param>
    /// <param name="yaml">The config file's text; empty for the embedded defaults.</param>
    public StreamHarness(Dictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null, string yaml = "")
    {
        var config = TestConfigs.Load(yaml, [.. (overrides ?? []).Select(o => $"--{o.Key}={o.Value}")]);
        var services = new ServiceCollection().AddLogging();
        services.AddExtProcCore(config);
        configure?.Invoke(services);
        _provider = services.BuildServiceProvider();
        Stream = new ProcessingStream(this, _provider.GetRequiredService<ProcessingServices>(), CancellationToken.None);
    }

    public ProcessingStream Stream { get; }

    public IServiceProvider Services => _provider;

    public List<ProcessingResponse> Replies { get; } = [];

    public WriteOptions? WriteOptions { get; set; }

    /// <summary>Runs as each reply is written, before it is recorded: what the server holds while its reply waits for the connection.</summary>
    public Action<ProcessingResponse>? OnWrite { get; set; }

    public Task WriteAsync(ProcessingResponse message)
    {
        OnWrite?.Invoke(message);
        Replies.Add(message);
        return Task.CompletedTask;
    }

    public async Task<bool> SendAsync(ProcessingRequest message) => await Stream.HandleAsync(message);

    /// <summary>The value of one metric series, as /metrics shows it.</summary>
    public Task<double> MetricAsync(string series) => ScrapedMetrics.ValueAsync(_provider, series);

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
