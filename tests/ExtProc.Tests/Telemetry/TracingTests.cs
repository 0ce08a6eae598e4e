using System.Diagnostics;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace AiSidecar.ExtProc.Tests.Telemetry;

/// <summary>
/// Traces through the real server with OTLP on (an endpoint nothing listens on: the in-process processor sees every
/// span that ends): the exchange span joins the client's trace, its stages' spans hang under it with counts and
/// decisions and no text, and the upstream gets a <c>traceparent</c> of the exchange span.
/// </summary>
[Collection(TracingGroup.Name)]
public sealed class TracingTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ClientSpanId = "00f067aa0ba902b7";
    private const string Prompt = "a secret prompt that no span may carry";
    private const string Otlp = "--telemetry:otlpEndpoint=http://127.0.0.1:9";

    [Fact]
    public async Task Exchange_ValidIncomingTraceParent_JoinsTheTraceAndForwardsItsOwnTraceParent()
    {
        var spans = new EndedSpans();
        await using var server = await TestExtProcServer.StartAsync("", s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(spans)), Otlp);

        var result = await server.Client().RunAsync(HttpExchange.For(Chat(("traceparent", $"00-{TraceId}-{ClientSpanId}-01"), ("tracestate", "vendor=a1"))));

        var exchange = await ExchangeSpanAsync(spans, TraceId);
        Assert.Equal(ActivityKind.Server, exchange.Kind);
        Assert.Equal(ClientSpanId, exchange.ParentSpanId.ToHexString());
        Assert.True(exchange.HasRemoteParent);
        var forwarded = result.Forwarded!.Headers;
        Assert.Equal([$"00-{TraceId}-{exchange.SpanId.ToHexString()}-01"], forwarded.GetAll("traceparent"));
        Assert.Equal(["vendor=a1"], forwarded.GetAll("tracestate"));
        Assert.Equal("llm-small", exchange.GetTagItem("ai.pool"));
    }

    [Fact]
    public async Task Exchange_Routed_CountAndAdmissionSpansUnderTheExchangeWithTheirFindingsAndNoText()
    {
        var spans = new EndedSpans();
        await using var server = await TestExtProcServer.StartAsync("", s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(spans)), Otlp);

        var result = await server.Client().RunAsync(HttpExchange.For(Chat(("traceparent", $"00-{TraceId}-{ClientSpanId}-01"))));

        var exchange = await ExchangeSpanAsync(spans, TraceId);
        var children = spans.Where(s => s.ParentSpanId == exchange.SpanId).ToList();
        var count = Assert.Single(children, s => s.OperationName == "extproc.count");
        Assert.Equal(int.Parse(result.Forwarded!.Headers["x-ai-prompt-tokens"]!, System.Globalization.CultureInfo.InvariantCulture), count.GetTagItem("ai.prompt_tokens"));
        Assert.Equal(true, count.GetTagItem("ai.prompt_tokens_exact"));
        Assert.NotNull(count.GetTagItem("ai.tokenizer"));
        var admission = Assert.Single(children, s => s.OperationName == "extproc.admission");
        Assert.Equal("llm-small", admission.GetTagItem("ai.pool"));
        Assert.Equal("admitted", admission.GetTagItem("ai.admission.decision"));
        Assert.All(children, c => Assert.Equal(TraceId, c.TraceId.ToHexString()));
        Assert.All(children, c => Assert.True(c.StartTimeUtc >= exchange.StartTimeUtc && c.StartTimeUtc + c.Duration <= exchange.StartTimeUtc + exchange.Duration));

        // recordContent is off: no attribute of any span of the trace holds the prompt.
        Assert.DoesNotContain(spans.Where(s => s.TraceId == exchange.TraceId).SelectMany(s => s.TagObjects),
            t => t.Value?.ToString()?.Contains("secret prompt", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Exchange_RecordContentOn_PutsTheRequestBodyOnTheExchangeSpan()
    {
        var spans = new EndedSpans();
        await using var server = await TestExtProcServer.StartAsync("", s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(spans)),
            Otlp, "--telemetry:recordContent=true");

        await server.Client().RunAsync(HttpExchange.For(Chat(("traceparent", $"00-{TraceId}-{ClientSpanId}-01"))));

        var exchange = await ExchangeSpanAsync(spans, TraceId);
        Assert.Equal(InferenceBodies.Chat(Prompt), exchange.GetTagItem("ai.request.body"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01")]
    public async Task Exchange_InvalidIncomingTraceParent_IsIgnoredAndTheExchangeStartsItsOwnTrace(string traceParent)
    {
        var spans = new EndedSpans();
        await using var server = await TestExtProcServer.StartAsync("", s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(spans)), Otlp);

        var result = await server.Client().RunAsync(HttpExchange.For(Chat(("traceparent", traceParent), ("tracestate", "vendor=a1"))));

        Assert.Equal(200, result.Response.Status);
        var forwarded = result.Forwarded!.Headers;
        var written = Assert.Single(forwarded.GetAll("traceparent"));
        Assert.NotEqual(traceParent, written);
        var traceId = written.Split('-')[1];
        var exchange = await ExchangeSpanAsync(spans, traceId);
        // Its parent is the server's own span of the ext_proc stream, not anything the client sent.
        Assert.False(exchange.HasRemoteParent);
        Assert.NotEqual(ClientSpanId, exchange.ParentSpanId.ToHexString());
        Assert.NotEqual(TraceId, traceId);
        Assert.Empty(forwarded.GetAll("tracestate"));
    }

    [Fact]
    public async Task Exchange_OtlpOff_NothingReadOrWritten()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var sent = $"00-{TraceId}-{ClientSpanId}-01";

        var result = await server.Client().RunAsync(HttpExchange.For(Chat(("traceparent", sent), ("tracestate", "vendor=a1"))));

        Assert.False(ExtProcTelemetry.Listening);
        Assert.Equal([sent], result.Forwarded!.Headers.GetAll("traceparent"));
        Assert.Equal(["vendor=a1"], result.Forwarded.Headers.GetAll("tracestate"));
        var mutation = result.Received.Select(r => r.RequestBody?.Response?.HeaderMutation).Single(m => m is not null)!;
        Assert.DoesNotContain(mutation.SetHeaders, h => h.Header.Key is "traceparent" or "tracestate");
        Assert.DoesNotContain("tracestate", mutation.RemoveHeaders);
    }

    [Fact]
    public async Task Exchange_Coalesced_CoalesceSpanCarriesTheBatchSize()
    {
        var spans = new EndedSpans();
        await using var engine = await AiSidecar.EngineSimulator.EngineSimulator.StartAsync(new AiSidecar.EngineSimulator.SimulatorOptions { CostModel = AiSidecar.EngineSimulator.CostModel.Free });
        var config = TrafficExamples.Config
            .Replace("    - name: llm-embed\n      apis: [embeddings]\n", $"    - name: llm-embed\n      apis: [embeddings]\n      upstream: {{ url: \"{engine.BaseAddress}\" }}\n", StringComparison.Ordinal)
            .Replace("    - name: bge-m3\n      apis: [embeddings]\n", "    - name: bge-m3\n      apis: [embeddings]\n      coalesce: { maxWaitMs: 0 }\n", StringComparison.Ordinal);
        Assert.Contains("coalesce: { maxWaitMs: 0 }", config, StringComparison.Ordinal);
        // The default message timeout leaves no time to hold a request for a batch.
        await using var server = await TestExtProcServer.StartAsync(config, s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(spans)),
            Otlp, "--processing:messageTimeoutMs=60000");

        var request = DownstreamRequest.Post("/v1/embeddings", """{"model":"bge-m3","input":"hello"}""");
        request.Headers.Add("traceparent", $"00-{TraceId}-{ClientSpanId}-01");
        var result = await server.Client().RunAsync(HttpExchange.For(request));

        Assert.Equal("1", result.Response.Headers.GetAll("x-ai-coalesced").Single());
        var exchange = await ExchangeSpanAsync(spans, TraceId);
        var coalesce = Assert.Single(spans, s => s.ParentSpanId == exchange.SpanId && s.OperationName == "extproc.coalesce");
        Assert.Equal(1, coalesce.GetTagItem("ai.coalesce.batch_size"));
        Assert.Equal("answered", coalesce.GetTagItem("ai.coalesce.outcome"));
        Assert.Equal("llm-embed", coalesce.GetTagItem("ai.pool"));
        Assert.Equal(200, coalesce.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Exchange_StageThatHolds_GetsASpanFromThePipeline()
    {
        var spans = new EndedSpans();
        await using var server = await TestExtProcServer.StartAsync("", s => s.AddSingleton<IRequestStage>(new HoldingStage())
            .ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(spans)), Otlp);

        await server.Client().RunAsync(HttpExchange.For(Chat(("traceparent", $"00-{TraceId}-{ClientSpanId}-01"))));

        var exchange = await ExchangeSpanAsync(spans, TraceId);
        var held = Assert.Single(spans, s => s.ParentSpanId == exchange.SpanId && s.OperationName == "extproc.holding");
        Assert.Equal(ActivityKind.Internal, held.Kind);

        // Stages that neither hold nor trace themselves (inspect, resolve, route…) have no span.
        Assert.DoesNotContain(spans, s => s.OperationName is "extproc.inspect" or "extproc.resolve" or "extproc.route");
    }

    private static DownstreamRequest Chat(params (string Name, string Value)[] headers)
    {
        var request = DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat(Prompt));
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    /// <summary>The exchange span of <paramref name="traceId"/>, once it ended (the stream's end ends it, after the client saw its answer).</summary>
    private static async Task<Activity> ExchangeSpanAsync(EndedSpans spans, string traceId)
    {
        await Until.TrueAsync(() => spans.Any(s => Is(s, traceId)), "the exchange span's end");
        return spans.Single(s => Is(s, traceId));
    }

    /// <summary>
    /// Holds every request between route and admission until the pipeline, having seen it hold, gave it its span (so
    /// it cannot finish before the pipeline looks).
    /// </summary>
    private sealed class HoldingStage : IRequestStage
    {
        public int Order => StageOrder.Route + 50;

        public string Name => "holding";

        public async ValueTask<StageResult> ProcessAsync(Exchange exchange)
        {
            do
            {
                await Task.Yield();
            }
            while (exchange.StageSpan is null);

            return StageResult.Continue;
        }
    }

    private static bool Is(Activity span, string traceId) => span.OperationName == ExtProcTelemetry.ExchangeSpanName && span.TraceId.ToHexString() == traceId;
}
