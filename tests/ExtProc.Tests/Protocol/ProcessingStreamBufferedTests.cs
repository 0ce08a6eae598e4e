using System.Text.Json;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;

namespace AiSidecar.ExtProc.Tests.Protocol;

public sealed class ProcessingStreamBufferedTests
{
    private const string Chat = """{"model":"qwen3-8b","messages":[{"role":"user","content":"Hello there"}]}""";

    [Fact]
    public async Task HandleAsync_BufferedChat_SetsDecisionHeadersWithRawValueAndClearsRouteCache()
    {
        using var harness = new StreamHarness();

        Assert.True(await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions")));
        Assert.True(await harness.SendAsync(StreamHarness.Body(Chat)));

        Assert.Equal(2, harness.Replies.Count);
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, harness.Replies[0].ResponseCase);
        var body = harness.Replies[1].RequestBody.Response;
        Assert.True(body.ClearRouteCache);
        Assert.All(body.HeaderMutation.SetHeaders, h =>
        {
            Assert.Empty(h.Header.Value);
#pragma warning disable CS0612 // Envoy deprecated append, yet ext_proc reads only it: it must stay unset (overwrite).
            Assert.Null(h.Append);
#pragma warning restore CS0612
            Assert.Equal(HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd, h.AppendAction);
        });
        var headers = StreamHarness.SetHeaders(body);
        Assert.Equal("qwen3-8b", headers["x-ai-model"]);
        Assert.Equal("small", headers["x-token-range"]);
        Assert.Equal("llm-small", headers["x-ai-pool"]);
        Assert.True(int.Parse(headers["x-ai-prompt-tokens"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Null(body.BodyMutation);
    }

    [Fact]
    public async Task HandleAsync_ClientSendsOwnedHeaders_RemovesThemAndClearsRouteCache()
    {
        using var harness = new StreamHarness();

        await harness.SendAsync(StreamHarness.Headers("/v1/models", method: "GET", endOfStream: true, extra: [("x-token-range", "large"), ("x-ai-pool", "gold")]));

        var reply = harness.Replies.Single().RequestHeaders.Response;
        Assert.Equal(["x-token-range", "x-ai-pool"], reply.HeaderMutation.RemoveHeaders);
        Assert.True(reply.ClearRouteCache);
    }

    [Fact]
    public async Task HandleAsync_PassthroughWithoutOwnedHeaders_AnswersPlainContinue()
    {
        using var harness = new StreamHarness();

        await harness.SendAsync(StreamHarness.Headers("/v1/models", method: "GET", endOfStream: true));

        Assert.Null(harness.Replies.Single().RequestHeaders.Response);
        Assert.Equal(1, await harness.MetricAsync("extproc_requests_total{decision=\"passthrough\"}"));
    }

    [Theory]
    [InlineData("""{"messages":[""", 400, "invalid_json")]
    [InlineData("""{"messages":"x"}""", 400, "invalid_field")]
    public async Task HandleAsync_BadBody_AnswersImmediateJsonErrorAndEndsStream(string json, int status, string kind)
    {
        using var harness = new StreamHarness();
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));

        Assert.False(await harness.SendAsync(StreamHarness.Body(json)));

        var immediate = harness.Replies[^1].ImmediateResponse;
        Assert.Equal(status, (int)immediate.Status.Code);
        Assert.Equal("application/json", immediate.Headers.SetHeaders.Single(h => h.Header.Key == "content-type").Header.RawValue.ToStringUtf8());
        using var error = JsonDocument.Parse(immediate.Body.Memory);
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("ai_sidecar_" + kind, immediate.Details);
        Assert.Equal(1, await harness.MetricAsync($"extproc_errors_total{{kind=\"{kind}\"}}"));
    }

    [Fact]
    public async Task HandleAsync_InferenceWithoutBody_Answers400AtHeaders()
    {
        using var harness = new StreamHarness();

        Assert.False(await harness.SendAsync(StreamHarness.Headers("/v1/embeddings", endOfStream: true)));

        Assert.Equal(400, (int)harness.Replies.Single().ImmediateResponse.Status.Code);
    }

    [Fact]
    public async Task HandleAsync_ContentLengthOverLimit_Answers413AtHeaders()
    {
        using var harness = new StreamHarness(new() { ["processing:maxBodyBytes"] = "100" });

        Assert.False(await harness.SendAsync(StreamHarness.Headers("/v1/completions", extra: ("content-length", "101"))));

        Assert.Equal(413, (int)harness.Replies.Single().ImmediateResponse.Status.Code);
    }

    [Fact]
    public async Task HandleAsync_BodyOverLimitWithoutContentLength_Answers413()
    {
        using var harness = new StreamHarness(new() { ["processing:maxBodyBytes"] = "16" });
        await harness.SendAsync(StreamHarness.Headers("/v1/completions"));

        Assert.False(await harness.SendAsync(StreamHarness.Body("""{"prompt":"0123456789"}""")));

        Assert.Equal(413, (int)harness.Replies[^1].ImmediateResponse.Status.Code);
    }

    [Fact]
    public async Task HandleAsync_UnknownModelWhenRejected_Answers404ModelNotFound()
    {
        using var harness = new StreamHarness(new() { ["catalogue:unknownModels"] = "reject", ["catalogue:models:0:name"] = "qwen3-8b" });
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));

        await harness.SendAsync(StreamHarness.Body("""{"model":"gpt-9","messages":[]}"""));

        var immediate = harness.Replies[^1].ImmediateResponse;
        Assert.Equal(404, (int)immediate.Status.Code);
        using var error = JsonDocument.Parse(immediate.Body.Memory);
        Assert.Equal("model_not_found", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task HandleAsync_BufferedBodyThenTrailers_DecidesOnBodyAndAnswersTrailers()
    {
        using var harness = new StreamHarness();
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));
        await harness.SendAsync(StreamHarness.Body(Chat, endOfStream: false));

        await harness.SendAsync(new ProcessingRequest { RequestTrailers = new HttpTrailers() });

        Assert.True(harness.Replies[1].RequestBody.Response.ClearRouteCache);
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestTrailers, harness.Replies[2].ResponseCase);
    }

    [Fact]
    public async Task HandleAsync_ChatWithImagePart_FlagsMediaPartsHeader()
    {
        using var harness = new StreamHarness();
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));

        await harness.SendAsync(StreamHarness.Body("""
            {"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:x"}}]}]}
            """));

        Assert.Equal("1", StreamHarness.SetHeaders(harness.Replies[^1].RequestBody.Response)["x-ai-media-parts"]);
    }

    [Fact]
    public async Task HandleAsync_TextOnlyChat_RemovesClientMediaPartsHeader()
    {
        using var harness = new StreamHarness();
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions", extra: ("x-ai-media-parts", "9")));

        await harness.SendAsync(StreamHarness.Body(Chat));

        var body = harness.Replies[^1].RequestBody.Response;
        Assert.Contains("x-ai-media-parts", body.HeaderMutation.RemoveHeaders);
        Assert.False(StreamHarness.SetHeaders(body).ContainsKey("x-ai-media-parts"));
    }
}
