using System.Globalization;
using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Config.Core.V3;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Responses;

/// <summary>The server's stages on a config with a fake clock: a request through the request stages, then its response through the response stages, chunk by chunk.</summary>
internal sealed class UsageHarness : IDisposable
{
    /// <summary>The traffic example's catalogue, with qwen3-8b injecting include_usage.</summary>
    public static readonly string InjectingConfig = TrafficExamples.Config.Replace(
        "    - name: qwen3-8b\n      aliases: [qwen3]\n", "    - name: qwen3-8b\n      aliases: [qwen3]\n      usage: { injectIncludeUsage: true }\n", StringComparison.Ordinal);

    public UsageHarness(string? config = null, params string[] overrides)
    {
        Harness = new PipelineHarness(TestConfigs.Load(config ?? TrafficExamples.Config, overrides),
            s => s.AddSingleton<TimeProvider>(Time).AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs));
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public FakeTimeProvider Time { get; } = new();

    public PipelineHarness Harness { get; }

    public IServiceProvider Services => Harness.Services;

    /// <summary>Runs the request stages; the exchange is left open for its response.</summary>
    public async Task<Exchange> RequestAsync(ApiKind kind, string path, string body)
    {
        var exchange = Harness.NewExchange(kind, path, body);
        var result = await Harness.Pipeline.RunRequestAsync(exchange);
        Assert.True(result.IsContinue, result.Response?.Error?.Message);
        exchange.Applied = true;
        return exchange;
    }

    /// <summary>
    /// Sends the response headers, then <paramref name="body"/> in chunks of <paramref name="chunkSize"/> bytes (0: one),
    /// <paramref name="between"/> apart; returns what the client sees, and whether the stages asked for the body.
    /// </summary>
    public Task<(byte[] Seen, bool BodyRead)> RespondAsync(Exchange exchange, string body, bool sse, int status = 200, int chunkSize = 0, TimeSpan between = default)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var size = chunkSize <= 0 ? Math.Max(bytes.Length, 1) : chunkSize;
        var chunks = new List<byte[]>();
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            chunks.Add(bytes[offset..Math.Min(offset + size, bytes.Length)]);
        }

        return RespondAsync(exchange, chunks.Count == 0 ? [[]] : chunks, sse, status, between);
    }

    /// <summary>Sends the response headers, then each of <paramref name="chunks"/>, the clock advanced by <paramref name="between"/> before each.</summary>
    public async Task<(byte[] Seen, bool BodyRead)> RespondAsync(Exchange exchange, IReadOnlyList<byte[]> chunks, bool sse, int status = 200, TimeSpan between = default)
    {
        await HeadersAsync(exchange, sse, status);
        if (exchange.Response.BodyMode == ResponseBodyMode.None)
        {
            return ([.. chunks.SelectMany(c => c)], false);
        }

        var seen = new List<byte>();
        for (var i = 0; i < chunks.Count; i++)
        {
            Time.Advance(between);
            var chunk = new ResponseBodyChunk(chunks[i], i == chunks.Count - 1);
            await Harness.Pipeline.RunResponseBodyAsync(exchange, chunk);
            seen.AddRange((chunk.Replacement ?? chunks[i]).ToArray());
        }

        return ([.. seen], true);
    }

    /// <summary>The response headers arrive and go through the response stages.</summary>
    public async Task HeadersAsync(Exchange exchange, bool sse, int status = 200)
    {
        var headers = new HeaderMap();
        headers.Headers.Add(Header(":status", status.ToString(CultureInfo.InvariantCulture)));
        headers.Headers.Add(Header("content-type", sse ? "text/event-stream; charset=utf-8" : "application/json"));
        exchange.Response.Arrived(headers, Time.GetTimestamp());
        await Harness.Pipeline.RunResponseHeadersAsync(exchange);
    }

    public Task<double> MetricAsync(string series) => ScrapedMetrics.ValueAsync(Services, series);

    public void Dispose() => Harness.Dispose();

    private static HeaderValue Header(string key, string value) => new() { Key = key, RawValue = ByteString.CopyFromUtf8(value) };
}
