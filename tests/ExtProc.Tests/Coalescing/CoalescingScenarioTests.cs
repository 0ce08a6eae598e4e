using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AiSidecar.EngineSimulator;
using AiSidecar.ExtProc.Coalescing;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.ML.Tokenizers;
using SimulatedEngine = AiSidecar.EngineSimulator.EngineSimulator;

namespace AiSidecar.ExtProc.Tests.Coalescing;

/// <summary>
/// The whole server with a real upstream: the engine simulator (vLLM's formats, deterministic per input) behind a pool
/// with <c>maxInFlight: 1</c>, requests through the Envoy-faithful client. To make a batch: stall the engine, send
/// one request (it takes the slot), send the members (they wait in one batch), release. Each member's answer is then
/// compared, field by field, with the engine's answer to that member's body sent on its own (ids and timings aside).
/// </summary>
public sealed class CoalescingScenarioTests : IAsyncLifetime, IDisposable
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding("o200k_base");
    private readonly HttpClient _direct = new();
    private SimulatedEngine _engine = null!;
    private TestExtProcServer _server = null!;

    public async Task InitializeAsync()
    {
        _engine = await SimulatedEngine.StartAsync(new SimulatorOptions
        {
            Mode = SimulatorMode.Batching,
            CostModel = CostModel.Free,
            CountTokens = text => O200k.CountTokens(text),
        });
        _server = await StartServerAsync("error");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _engine.Release();
        await _engine.DisposeAsync();
    }

    public void Dispose() => _direct.Dispose();

    private Task<TestExtProcServer> StartServerAsync(string onFailure, string extra = "", Action<IServiceCollection>? configure = null) => TestExtProcServer.StartAsync($$"""
        coalescing:
          onUpstreamFailure: {{onFailure}}
          breaker: { failureRatio: 0.5, minimumThroughput: 2, samplingSeconds: 60, breakSeconds: 60 }
        {{extra}}
        catalogue:
          unknownModels: reject
          pools:
            - name: embed
              upstream: { url: "{{_engine.BaseAddress}}", maxInFlight: 1, maxInputs: 32 }
          models:
            - name: bge
              apis: [embeddings, rerank, completions]
              versions: [{ name: v1, pool: embed }]
              coalesce: { maxWaitMs: 10 }
        """, configure, "--processing:messageTimeoutMs=60000");

    private Coalescer Coalescer => _server.App.Services.GetRequiredService<Coalescer>();

    private async Task<ExchangeResult> SendAsync(string path, string body, string? tenant = null)
    {
        var request = DownstreamRequest.Post(path, body);
        if (tenant is not null)
        {
            request.Headers.Add("x-tenant", tenant);
        }

        return await _server.Client().RunAsync(HttpExchange.For(request, UpstreamResponse.Json("""{"forwarded":true}""")));
    }

    /// <summary>Sends <paramref name="bodies"/> as one batch: a first request holds the engine's one slot while they gather.</summary>
    private async Task<ExchangeResult[]> BatchAsync(string path, params string[] bodies)
    {
        _engine.Stall();
        var first = SendAsync(path, bodies[0]);
        await _engine.WaitForHeldAsync(1);
        var members = bodies[1..].Select(b => SendAsync(path, b)).ToArray();
        await Until.TrueAsync(() => Coalescer.HeldRequests == bodies.Length, "every member held");
        _engine.Release();
        return [await first, .. await Task.WhenAll(members)];
    }

    /// <summary>The engine's answer to <paramref name="body"/> alone.</summary>
    private async Task<JsonNode> AloneAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await _direct.PostAsync(new Uri(_engine.BaseAddress, path.TrimStart('/')), content);
        response.EnsureSuccessStatusCode();
        return WithoutIds(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static JsonNode WithoutIds(JsonNode node)
    {
        node.AsObject().Remove("id");
        node.AsObject().Remove("created");
        return node;
    }

    /// <summary>Each member, coalesced, answers what the engine answers it alone.</summary>
    private async Task AssertEachAsAloneAsync(string path, ExchangeResult[] results, string[] bodies)
    {
        Assert.Equal(bodies.Length - 1, int.Parse(results[^1].Response.Headers.GetAll(CoalesceStage.CoalescedHeader).Single(), System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Null(results[i].Forwarded);
            Assert.Equal(200, results[i].Response.Status);
            Assert.Equal("application/json", results[i].Response.Headers.GetAll("content-type").Single());
            var coalesced = WithoutIds(JsonNode.Parse(results[i].Response.BodyText)!);
            var alone = await AloneAsync(path, bodies[i]);
            Assert.True(JsonNode.DeepEquals(alone, coalesced), $"member {i}:\n{coalesced.ToJsonString()}\nalone:\n{alone.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData("float", "")]
    [InlineData("base64", "")]
    [InlineData("float", ",\"dimensions\":64")]
    public async Task Process_SingleAndMultiInputEmbeddings_EachAnswerIsTheEnginesAnswerAlone(string encoding, string extra)
    {
        string Body(string input) => $$"""{"model":"bge","input":{{input}},"encoding_format":"{{encoding}}"{{extra}}}""";
        string[] bodies =
        [
            Body("\"the first client\""),
            Body("\"a second text\""),
            Body("[\"three\",\"inputs from\",\"one client\"]"),
            Body("\"a fourth\""),
        ];

        var results = await BatchAsync("/v1/embeddings", bodies);

        await AssertEachAsAloneAsync("/v1/embeddings", results, bodies);
    }

    [Fact]
    public async Task Process_RerankSameQueryDifferentTopN_EachGetsItsOwnDocumentsRankedAndCut()
    {
        string Body(string documents, string more) => $$"""{"model":"bge","query":"which is a fruit","documents":{{documents}}{{more}}}""";
        string[] bodies =
        [
            Body("""["apple","car"]""", ""),
            Body("""["banana","truck","pear","bus"]""", ""","top_n":2"""),
            Body("""["plum","train","cherry"]""", ""","top_n":1"""),
        ];

        var results = await BatchAsync("/v1/rerank", bodies);

        await AssertEachAsAloneAsync("/v1/rerank", results, bodies);
    }

    [Fact]
    public async Task Process_CompletionsWithSeveralChoicesAndPrompts_EachGetsItsOwnChoicesInOrder()
    {
        string Body(string prompt) => $$"""{"model":"bge","prompt":{{prompt}},"max_tokens":5,"n":2,"seed":7,"temperature":0.8}""";
        string[] bodies = [Body("\"Once upon a time\""), Body("[\"The sky is\",\"Water is\"]"), Body("\"In the beginning\"")];

        var results = await BatchAsync("/v1/completions", bodies);

        await AssertEachAsAloneAsync("/v1/completions", results, bodies);
    }

    [Fact]
    public async Task Process_DifferentParameters_NeverShareABatch()
    {
        var results = await BatchAsync("/v1/embeddings",
            """{"model":"bge","input":"one"}""",
            """{"model":"bge","input":"two","encoding_format":"base64"}""",
            """{"model":"bge","input":"three"}""");

        // The first held the slot; the float request and the base64 one went as two batches of one.
        Assert.All(results, r => Assert.Equal("1", r.Response.Headers.GetAll(CoalesceStage.CoalescedHeader).Single()));
    }

    [Fact]
    public async Task Process_TenantHeaderConfigured_TenantsNeverShareABatch()
    {
        await _server.DisposeAsync();
        _server = await StartServerAsync("error", "  tenantHeader: x-tenant");
        _engine.Stall();
        var first = SendAsync("/v1/embeddings", """{"model":"bge","input":"holds the slot"}""", "acme");
        await _engine.WaitForHeldAsync(1);
        var members = new[]
        {
            SendAsync("/v1/embeddings", """{"model":"bge","input":"a"}""", "acme"),
            SendAsync("/v1/embeddings", """{"model":"bge","input":"b"}""", "globex"),
            SendAsync("/v1/embeddings", """{"model":"bge","input":"c"}""", "acme"),
        };
        await Until.TrueAsync(() => Coalescer.HeldRequests == 4, "every member held");
        _engine.Release();
        await first;

        var sizes = (await Task.WhenAll(members)).Select(r => r.Response.Headers.GetAll(CoalesceStage.CoalescedHeader).Single()).ToArray();
        Assert.Equal(["2", "1", "2"], sizes);
    }

    [Fact]
    public async Task Process_EngineFailsTheBatch_EachMemberGetsItsOwnError()
    {
        _engine.Stall();
        var first = SendAsync("/v1/embeddings", """{"model":"bge","input":"holds the slot"}""");
        await _engine.WaitForHeldAsync(1);
        var members = new[] { SendAsync("/v1/embeddings", """{"model":"bge","input":"a"}"""), SendAsync("/v1/embeddings", """{"model":"bge","input":"b"}""") };
        await Until.TrueAsync(() => Coalescer.HeldRequests == 3, "every member held");
        _engine.FailNext(2, 500);
        _engine.Release();

        // The first request was a batch of its own: it fails the same way.
        foreach (var member in await Task.WhenAll([first, .. members]))
        {
            Assert.Equal(502, member.Response.Status);
            Assert.Contains("\"code\":\"upstream_error\"", member.Response.BodyText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Process_PassthroughPolicyAndThenAnOpenBreaker_RequestsGoThroughEnvoy()
    {
        await _server.DisposeAsync();
        _server = await StartServerAsync("passthrough");

        // Two failed calls (minimumThroughput 2, ratio 0.5) open the upstream's breaker; their members pass through.
        _engine.FailNext(2, 503);
        Assert.NotNull((await SendAsync("/v1/embeddings", """{"model":"bge","input":"x"}""")).Forwarded);
        Assert.NotNull((await SendAsync("/v1/embeddings", """{"model":"bge","input":"y"}""")).Forwarded);

        // Open: not held at all, and the engine gets no batch call.
        var before = _engine.Counters.Requests;
        Assert.NotNull((await SendAsync("/v1/embeddings", """{"model":"bge","input":"z"}""")).Forwarded);
        Assert.Equal(before, _engine.Counters.Requests);
        Assert.Equal(2, await ScrapedMetrics.ValueAsync(_server.App.Services, $"extproc_coalesce_breaker_state{{upstream=\"{_engine.BaseAddress.GetLeftPart(UriPartial.Authority)}\"}}"));
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(_server.App.Services, "extproc_coalesce_requests_total{pool=\"embed\",outcome=\"passthrough\",reason=\"breaker_open\"}"));
    }

    [Fact]
    public async Task Process_BreakerBreakEnds_TheNextRequestIsHeldAgainAndItsCallClosesTheBreaker()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        await _server.DisposeAsync();
        _server = await StartServerAsync("passthrough", configure: s => s.AddSingleton<TimeProvider>(time));
        var breaker = $"extproc_coalesce_breaker_state{{upstream=\"{_engine.BaseAddress.GetLeftPart(UriPartial.Authority)}\"}}";
        _engine.FailNext(2, 503);
        Assert.NotNull((await SendAsync("/v1/embeddings", """{"model":"bge","input":"x"}""")).Forwarded);
        Assert.NotNull((await SendAsync("/v1/embeddings", """{"model":"bge","input":"y"}""")).Forwarded);
        time.Advance(TimeSpan.FromSeconds(59));
        var before = _engine.Counters.Requests;
        Assert.NotNull((await SendAsync("/v1/embeddings", """{"model":"bge","input":"z"}""")).Forwarded);
        Assert.Equal(before, _engine.Counters.Requests);

        // The 60 s break is over: the request is held and its batch call is the breaker's probe.
        time.Advance(TimeSpan.FromSeconds(1));
        var probe = await SendAsync("/v1/embeddings", """{"model":"bge","input":"w"}""");

        Assert.Equal(200, probe.Response.Status);
        Assert.Equal("1", probe.Response.Headers.GetAll(CoalesceStage.CoalescedHeader).Single());
        Assert.Equal(before + 1, _engine.Counters.Requests);
        Assert.Equal(0, await ScrapedMetrics.ValueAsync(_server.App.Services, breaker));
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(_server.App.Services, "extproc_coalesce_requests_total{pool=\"embed\",outcome=\"passthrough\",reason=\"breaker_open\"}"));
    }

    [Fact]
    public async Task Process_HeldCapReached_TheNextRequestPassesThroughUncoalesced()
    {
        await _server.DisposeAsync();
        _server = await StartServerAsync("error", "  maxHeldRequests: 3");
        _engine.Stall();
        var held = new[] { SendAsync("/v1/embeddings", """{"model":"bge","input":"a"}""") };
        await _engine.WaitForHeldAsync(1);
        held = [.. held, SendAsync("/v1/embeddings", """{"model":"bge","input":"b"}"""), SendAsync("/v1/embeddings", """{"model":"bge","input":"c"}""")];
        await Until.TrueAsync(() => Coalescer.HeldRequests == 3, "three held");

        var beyond = await SendAsync("/v1/embeddings", """{"model":"bge","input":"d"}""");

        Assert.NotNull(beyond.Forwarded);
        _engine.Release();
        Assert.All(await Task.WhenAll(held), r => Assert.Equal(200, r.Response.Status));
    }

    [Fact]
    public async Task Process_StreamingCompletion_IsNeverHeld()
    {
        var result = await SendAsync("/v1/completions", """{"model":"bge","prompt":"hi","stream":true}""");

        Assert.NotNull(result.Forwarded);
        Assert.Equal(0, _engine.Counters.Requests);
    }
}
