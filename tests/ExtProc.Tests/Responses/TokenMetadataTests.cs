using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AiSidecar.EngineSimulator;
using AiSidecar.ExtProc.Commands;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using SimulatedEngine = AiSidecar.EngineSimulator.EngineSimulator;

namespace AiSidecar.ExtProc.Tests.Responses;

/// <summary>
/// Token counts as Envoy dynamic metadata (<c>responses.dynamicMetadataNamespace</c>), through the real server and the
/// Envoy-faithful client, whose filter applies only the namespaces it receives and merges them as Envoy does.
/// </summary>
public sealed partial class TokenMetadataTests
{
    private const string Namespace = "ai.sidecar";
    private const string Prompt = "How many tokens does this prompt have?";
    private const string Catalogue = "catalogue:\n  models: [{ name: gpt-4o }]\n";
    private const string JsonAnswer = """{"id":"c1","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Nine."}}],"usage":{"prompt_tokens":17,"completion_tokens":5,"total_tokens":22}}""";

    private static readonly string[] WithNamespace = [$"--responses:dynamicMetadataNamespace={Namespace}"];

    /// <summary>The shipped filter's shape (BUFFERED request body, mode_override allowed) receiving <paramref name="namespaces"/>.</summary>
    private static EnvoyFilterConfig Filter(params string[] namespaces) =>
        ExtProcChannels.Buffered with { AllowModeOverride = true, ReceivingNamespaces = namespaces };

    private static string Chat(int? maxTokens = 64, bool stream = false) => maxTokens is { } max
        ? JsonSerializer.Serialize(new { model = "gpt-4o", max_tokens = max, stream, messages = new[] { new { role = "user", content = Prompt } } })
        : JsonSerializer.Serialize(new { model = "gpt-4o", stream, messages = new[] { new { role = "user", content = Prompt } } });

    private static async Task<ExchangeResult> RunAsync(string body, UpstreamResponse upstream, EnvoyFilterConfig filter, params string[] args)
    {
        await using var server = await TestExtProcServer.StartAsync(Catalogue, args);
        return await server.Client(filter).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", body), upstream));
    }

    /// <summary>The fields the server sent under <see cref="Namespace"/> in <paramref name="reply"/>.</summary>
    private static MapField<string, Value> Sent(ProcessingResponse reply) =>
        Assert.Contains(Namespace, (IDictionary<string, Value>)reply.DynamicMetadata.Fields).StructValue.Fields;

    /// <summary>The reply to the request body that carries the routing decision (BUFFERED).</summary>
    private static ProcessingResponse DecisionReply(ExchangeResult result) =>
        Assert.Single(result.Received, r => r.RequestBody?.Response?.HeaderMutation is not null);

    [Fact]
    public async Task Process_NamespaceSet_DecisionReplyCarriesTheExactPromptCountModelPoolAndMaxTokens()
    {
        var result = await RunAsync(Chat(), UpstreamResponse.Json(JsonAnswer), Filter(Namespace), WithNamespace);

        var fields = Sent(DecisionReply(result));
        var expected = ExpectedTokens.Chat(("user", Prompt));
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), result.Forwarded!.Headers["x-ai-prompt-tokens"]);
        Assert.Equal(["max_tokens", "model", "pool", "prompt_tokens", "prompt_tokens_exact"], fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(expected, fields["prompt_tokens"].NumberValue);
        Assert.True(fields["prompt_tokens_exact"].BoolValue);
        Assert.Equal("gpt-4o", fields["model"].StringValue);
        Assert.Equal(result.Forwarded.Headers["x-ai-pool"], fields["pool"].StringValue);
        Assert.Equal(64, fields["max_tokens"].NumberValue);

        // Nothing else on the request side: the headers reply (sent before the body arrived) carries none.
        Assert.All(result.Received.Where(r => r.RequestHeaders is not null), r => Assert.Null(r.DynamicMetadata));
    }

    [Fact]
    public async Task Process_FullDuplexStreamed_HeldHeadersReplyCarriesTheDecisionsMetadataNotTheStreamedBody()
    {
        var duplex = ExtProcChannels.TestConfig with
        {
            RequestBodyMode = BodySendMode.FullDuplexStreamed,
            RequestTrailerMode = HeaderSendMode.Send,
            ReceivingNamespaces = [Namespace],
        };
        await using var server = await TestExtProcServer.StartAsync(Catalogue, WithNamespace);

        var result = await server.Client(duplex).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", Chat(), chunkSize: 16)));

        var decision = Assert.Single(result.Received, r => r.RequestHeaders?.Response?.HeaderMutation?.SetHeaders.Count > 0);
        Assert.Equal(ExpectedTokens.Chat(("user", Prompt)), Sent(decision)["prompt_tokens"].NumberValue);
        Assert.All(result.Received.Where(r => r.RequestBody is not null), r => Assert.Null(r.DynamicMetadata));
        Assert.Equal(64, result.DynamicMetadata[Namespace].Fields["max_tokens"].NumberValue);
    }

    [Fact]
    public async Task Process_ChatWithoutMaxTokens_MaxTokensIsNull()
    {
        var result = await RunAsync(Chat(maxTokens: null), UpstreamResponse.Json(JsonAnswer), Filter(Namespace), WithNamespace);

        Assert.Equal(Value.KindOneofCase.NullValue, Sent(DecisionReply(result))["max_tokens"].KindCase);
    }

    [Fact]
    public async Task Process_JsonResponseInChunks_LastBodyReplyCarriesTheReportedUsage()
    {
        var result = await RunAsync(Chat(), UpstreamResponse.Json(JsonAnswer, chunkSize: 16), Filter(Namespace), WithNamespace);

        var bodies = result.Received.Where(r => r.ResponseBody is not null).ToList();
        Assert.True(bodies.Count > 2, result.ToString());
        Assert.All(bodies[..^1], r => Assert.Null(r.DynamicMetadata));
        var usage = Sent(bodies[^1]);
        Assert.Equal(["completion_tokens", "prompt_tokens", "total_tokens"], usage.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((17, 5, 22), (usage["prompt_tokens"].NumberValue, usage["completion_tokens"].NumberValue, usage["total_tokens"].NumberValue));
        Assert.Equal(JsonAnswer, result.Response.BodyText);

        // What Envoy holds at the stream's end: the decision's fields, prompt_tokens replaced by the model server's count.
        var held = result.DynamicMetadata[Namespace].Fields;
        Assert.Equal((17, 5, 22), (held["prompt_tokens"].NumberValue, held["completion_tokens"].NumberValue, held["total_tokens"].NumberValue));
        Assert.Equal(("gpt-4o", 64), (held["model"].StringValue, held["max_tokens"].NumberValue));
    }

    [Fact]
    public async Task Process_SseStream_LastBodyReplyCarriesTheUsageOfTheUsageChunk()
    {
        string[] events =
        [
            """data: {"id":"c1","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Nine"}}]}""",
            """data: {"id":"c1","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"."},"finish_reason":"stop"}]}""",
            """data: {"id":"c1","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":17,"completion_tokens":2,"total_tokens":19}}""",
            "data: [DONE]",
        ];
        var upstream = new UpstreamResponse
        {
            Headers = new HttpHeaderList().Add("content-type", "text/event-stream"),
            BodyChunks = [.. events.Select(e => Encoding.UTF8.GetBytes(e + "\n\n"))],
        };

        var result = await RunAsync(Chat(stream: true), upstream, Filter(Namespace), WithNamespace);

        var bodies = result.Received.Where(r => r.ResponseBody is not null).ToList();
        Assert.True(bodies.Count >= events.Length, result.ToString());
        Assert.All(bodies[..^1], r => Assert.Null(r.DynamicMetadata));
        var usage = Sent(bodies[^1]);
        Assert.Equal((17, 2, 19), (usage["prompt_tokens"].NumberValue, usage["completion_tokens"].NumberValue, usage["total_tokens"].NumberValue));
        Assert.Equal(19, result.DynamicMetadata[Namespace].Fields["total_tokens"].NumberValue);
    }

    [Fact]
    public async Task Process_CoalescedAnswer_ItsLocalReplyCarriesTheDecisionAndTheUsage()
    {
        await using var engine = await SimulatedEngine.StartAsync(new SimulatorOptions { CostModel = CostModel.Free });
        await using var server = await TestExtProcServer.StartAsync(CoalescedCatalogue.For(engine.BaseAddress), [.. WithNamespace, "--processing:messageTimeoutMs=60000"]);

        var result = await server.Client(Filter(Namespace)).RunAsync(CoalescedCatalogue.Embeddings("hello there"));

        var answer = Assert.Single(result.Received, r => r.ImmediateResponse is not null);
        Assert.Equal(200, result.Response.Status);
        var usage = JsonDocument.Parse(result.Response.Body).RootElement.GetProperty("usage");
        var fields = Sent(answer);
        Assert.Equal(("bge", "embed", 0), (fields["model"].StringValue, fields["pool"].StringValue, fields["max_tokens"].NumberValue));
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64(), fields["prompt_tokens"].NumberValue);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64(), fields["total_tokens"].NumberValue);
        Assert.All(result.Received.Where(r => r.ImmediateResponse is null), r => Assert.Null(r.DynamicMetadata));
    }

    [Fact]
    public async Task Process_NoNamespaceConfigured_NoReplyCarriesMetadata()
    {
        var result = await RunAsync(Chat(), UpstreamResponse.Json(JsonAnswer), Filter(Namespace));

        Assert.NotNull(result.Forwarded);
        Assert.Contains(result.Received, r => r.ResponseBody is not null);
        Assert.All(result.Received, r => Assert.Null(r.DynamicMetadata));
        Assert.Empty(result.DynamicMetadata);
    }

    [Fact]
    public async Task Process_FilterDoesNotReceiveTheNamespace_EnvoyDropsTheMetadata()
    {
        var result = await RunAsync(Chat(), UpstreamResponse.Json(JsonAnswer), Filter("envoy.lb"), WithNamespace);

        Assert.Equal(64, Sent(DecisionReply(result))["max_tokens"].NumberValue);
        Assert.Empty(result.DynamicMetadata);
    }

    [Fact]
    public async Task Process_PassthroughRequest_NoMetadata()
    {
        await using var server = await TestExtProcServer.StartAsync(Catalogue, WithNamespace);

        var result = await server.Client(Filter(Namespace)).RunAsync(HttpExchange.For(DownstreamRequest.Get("/v1/models")));

        Assert.All(result.Received, r => Assert.Null(r.DynamicMetadata));
        Assert.Empty(result.DynamicMetadata);
    }

    /// <summary>
    /// The rate limit example (examples/ratelimit/envoy.yaml) reads only what the server sends: its ext_proc filter
    /// receives the namespace; what it reads when the request is decided (the descriptors' metadata, the hits_addend of
    /// the entries applied then) is on the decision reply; what it reads when the stream is done is held by Envoy then;
    /// every hits_addend is a number.
    /// </summary>
    [Fact]
    public async Task Process_RateLimitExample_EveryKeyItReadsIsSent()
    {
        var example = YamlJson.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "examples", "ratelimit", "envoy.yaml")))!;
        var manager = example["static_resources"]!["listeners"]![0]!["filter_chains"]![0]!["filters"]![0]!["typed_config"]!;
        var extProc = manager["http_filters"]!.AsArray().Single(f => (string?)f!["name"] == "envoy.filters.http.ext_proc")!["typed_config"]!;
        var received = extProc["metadata_options"]!["receiving_namespaces"]!["untyped"]!.AsArray().Select(n => (string)n!).ToArray();
        var reads = manager["route_config"]!["virtual_hosts"]![0]!["rate_limits"]!.AsArray().SelectMany(entry =>
        {
            var done = (bool?)entry!["apply_on_stream_done"] ?? false;
            var format = DynamicMetadataFormat().Match((string)entry["hits_addend"]!["format"]!);
            var descriptors = entry["actions"]!.AsArray().Select(a => a!["metadata"]).OfType<JsonNode>()
                .Select(m => (Namespace: (string)m["metadata_key"]!["key"]!, Key: (string)m["metadata_key"]!["path"]![0]!["key"]!, Number: false, Done: done));
            return descriptors.Append((Namespace: format.Groups[1].Value, Key: format.Groups[2].Value, Number: true, Done: done));
        }).ToList();
        Assert.Contains(reads, r => r.Done && r.Number);
        Assert.Contains(reads, r => !r.Done && r.Number);
        var ns = Assert.Single(received);
        Assert.All(reads, r => Assert.Equal(ns, r.Namespace));
        Assert.Empty(TestConfigs.Errors($"responses:\n  dynamicMetadataNamespace: {ns}\n"));

        var result = await RunAsync(Chat(), UpstreamResponse.Json(JsonAnswer), Filter(received), $"--responses:dynamicMetadataNamespace={ns}");

        var decided = DecisionReply(result).DynamicMetadata.Fields[ns].StructValue.Fields;
        var held = result.DynamicMetadata[ns].Fields;
        Assert.All(reads, r =>
        {
            var value = Assert.Contains(r.Key, (IDictionary<string, Value>)(r.Done ? held : decided));
            Assert.Equal(r.Number ? Value.KindOneofCase.NumberValue : Value.KindOneofCase.StringValue, value.KindCase);
        });
    }

    [GeneratedRegex(@"^%DYNAMIC_METADATA\(([^:)]+):([^)]+)\)%$")]
    private static partial Regex DynamicMetadataFormat();

    [Theory]
    [InlineData("ai:sidecar", "ASCII letters")]
    [InlineData("ai sidecar", "ASCII letters")]
    public void Validate_NamespaceEnvoyCannotAddress_IsAnError(string ns, string message)
    {
        var errors = TestConfigs.Errors($"responses:\n  dynamicMetadataNamespace: \"{ns}\"\n");

        Assert.Contains(errors, e => e.Contains("responses.dynamicMetadataNamespace: ", StringComparison.Ordinal) && e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NamespaceWithoutReadingUsage_IsAnError()
    {
        var errors = TestConfigs.Errors("responses:\n  readUsage: false\n  dynamicMetadataNamespace: ai.sidecar\n");

        Assert.Contains(errors, e => e.Contains("responses.dynamicMetadataNamespace: ", StringComparison.Ordinal) && e.Contains("needs responses.readUsage", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PlainNamespace_IsAccepted()
    {
        Assert.Empty(TestConfigs.Errors("responses:\n  dynamicMetadataNamespace: ai.sidecar_tokens-v1\n"));
    }
}
