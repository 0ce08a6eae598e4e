using System.Net;
using System.Text.Json;
using AiSidecar.EngineSimulator;
using AiSidecar.ExtProc.Tests.Infrastructure;
using static AiSidecar.ExtProc.Tests.Coalescing.Simulator.Answers;

namespace AiSidecar.ExtProc.Tests.Coalescing.Simulator;

/// <summary><c>POST /v1/completions</c>: vLLM's format, choice numbering with <c>n</c>, deterministic texts, usage.</summary>
public sealed class CompletionsEndpointTests
{
    private const string Path = "/v1/completions";

    [Fact]
    public async Task Completions_OnePrompt_AnswersInVllmsShape()
    {
        await using var host = await SimulatorHost.StartAsync();

        var answer = await host.PostOkAsync(Path, new { model = "llm", prompt = "Once upon a time", max_tokens = 5 });

        Assert.Equal(["id", "object", "created", "model", "choices", "service_tier", "system_fingerprint", "usage"], Names(answer));
        Assert.StartsWith("cmpl-", answer.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("text_completion", answer.GetProperty("object").GetString());
        Assert.Equal("llm", answer.GetProperty("model").GetString());
        var choice = Assert.Single(answer.GetProperty("choices").EnumerateArray());
        Assert.Equal(["index", "text", "logprobs", "finish_reason", "stop_reason", "prompt_logprobs"], Names(choice));
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal(5, SimulatorOptions.CountWords(choice.GetProperty("text").GetString()!));
        Assert.Equal(4, Usage(answer, "prompt_tokens"));
        Assert.Equal(5, Usage(answer, "completion_tokens"));
        Assert.Equal(9, Usage(answer, "total_tokens"));
    }

    [Fact]
    public async Task Completions_ThreePromptsNTwo_IndexIsPromptTimesNPlusChoiceAndEachPromptsChoicesAsAlone()
    {
        await using var host = await SimulatorHost.StartAsync();

        var batch = await host.PostOkAsync(Path, new { prompt = new[] { "a", "b c", "d" }, n = 2, max_tokens = 4, seed = 7, temperature = 0.8 });
        var alone = await host.PostOkAsync(Path, new { prompt = "b c", n = 2, max_tokens = 4, seed = 7, temperature = 0.8 });

        Assert.Equal(Enumerable.Range(0, 6), batch.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(Texts(alone), Texts(batch)[2..4]);
        Assert.Equal(6, Texts(batch).Distinct().Count());
        Assert.Equal(4, Usage(batch, "prompt_tokens"));
        Assert.Equal(3 * 2 * 4, Usage(batch, "completion_tokens"));
        Assert.Equal(2 * 4, Usage(alone, "completion_tokens"));
    }

    [Fact]
    public async Task Completions_Parameters_DecideTheTextButNotTheChoiceCount()
    {
        await using var host = await SimulatorHost.StartAsync();

        var seed1 = Texts(await host.PostOkAsync(Path, new { prompt = "p", seed = 1 }));
        var seed1Again = Texts(await host.PostOkAsync(Path, new { prompt = "p", seed = 1, user = "someone else" }));
        var seed2 = Texts(await host.PostOkAsync(Path, new { prompt = "p", seed = 2 }));
        var seed1ThreeChoices = Texts(await host.PostOkAsync(Path, new { prompt = "p", seed = 1, n = 3 }));

        Assert.Equal(seed1, seed1Again);
        Assert.NotEqual(seed1, seed2);
        Assert.Equal(seed1[0], seed1ThreeChoices[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(200)]
    public async Task Completions_Text_IsMaxTokensTokensOfARealTokenizer(int maxTokens)
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { CostModel = CostModel.Free, CountTokens = ExpectedTokens.Text });

        var answer = await host.PostOkAsync(Path, new { prompt = new[] { "x", "y", "z" }, max_tokens = maxTokens });

        Assert.All(Texts(answer), text => Assert.Equal(maxTokens, ExpectedTokens.Text(text)));
        Assert.Equal(3 * maxTokens, Usage(answer, "completion_tokens"));
    }

    [Fact]
    public async Task Completions_TokenPrompts_CountTheirIds()
    {
        await using var host = await SimulatorHost.StartAsync();

        var many = await host.PostOkAsync(Path, new { prompt = new[] { new[] { 1, 2 }, new[] { 3 } }, max_tokens = 2 });
        var one = await host.PostOkAsync(Path, new { prompt = new[] { 3 }, max_tokens = 2 });

        Assert.Equal(2, Texts(many).Length);
        Assert.Equal(3, Usage(many, "prompt_tokens"));
        Assert.Equal(Texts(one)[0], Texts(many)[1]);
    }

    [Fact]
    public async Task Completions_Echo_TextStartsWithThePrompt()
    {
        await using var host = await SimulatorHost.StartAsync();

        var echoed = Texts(await host.PostOkAsync(Path, new { prompt = "Hello", max_tokens = 3, echo = true }));

        Assert.StartsWith("Hello ", echoed[0], StringComparison.Ordinal);
        Assert.Equal(1 + 3, SimulatorOptions.CountWords(echoed[0]));
    }

    [Theory]
    [InlineData("""{"prompt": "p", "stream": true}""", "stream")]
    [InlineData("""{"prompt": "p", "logprobs": 2}""", "logprobs")]
    [InlineData("""{"prompt": [[1]], "echo": true}""", "echo")]
    [InlineData("""{"prompt": ""}""", "prompt")]
    [InlineData("""{"max_tokens": 3}""", "prompt")]
    [InlineData("""{"prompt": "p", "n": 0}""", "n")]
    [InlineData("""{"prompt": "p", "max_tokens": 0}""", "max_tokens")]
    public async Task Completions_InvalidOrUnsupported_400NamingTheField(string body, string param)
    {
        await using var host = await SimulatorHost.StartAsync();

        var error = await host.PostErrorAsync(Path, JsonDocument.Parse(body).RootElement, HttpStatusCode.BadRequest);

        Assert.Equal(param, error.GetProperty("param").GetString());
    }
}
