using System.Text;
using AiSidecar.ExtProc.Coalescing.Codecs;
using static AiSidecar.ExtProc.Tests.Coalescing.Codecs.CodecAssert;

namespace AiSidecar.ExtProc.Tests.Coalescing.Codecs;

public sealed class CompletionsCodecTests
{
    private readonly CompletionsCodec _codec = new();

    [Fact]
    public void Split_SinglePromptMembers_EachEqualsItsOwnAnswer()
    {
        SplitEqualsAlone(_codec, FakeEngine.Completions,
        [
            """{"model":"qwen","prompt":"Once upon a time","max_tokens":4,"temperature":0.7,"seed":3,"user":"a"}""",
            """{"model":"qwen","prompt":"The capital of France is","max_tokens":4,"temperature":0.7,"seed":3,"user":"b"}""",
        ], FakeEngine.Words);
    }

    [Fact]
    public void Split_NGreaterThanOneAndListPrompts_EachEqualsItsOwnAnswer()
    {
        SplitEqualsAlone(_codec, FakeEngine.Completions,
        [
            """{"model":"qwen","prompt":["first prompt","second prompt here"],"n":3,"max_tokens":5}""",
            """{"model":"qwen","prompt":"third","n":3,"max_tokens":5}""",
            """{"model":"qwen","prompt":["fourth a","fifth b c d","sixth"],"n":3,"max_tokens":5}""",
        ], FakeEngine.Words);
    }

    [Fact]
    public void Split_TokenPrompts_EachEqualsItsOwnAnswer()
    {
        SplitEqualsAlone(_codec, FakeEngine.Completions,
        [
            """{"model":"qwen","prompt":[1,2,3],"n":2}""",
            """{"model":"qwen","prompt":[[4,5],[6]],"n":2}""",
        ], FakeEngine.Words);
    }

    [Fact]
    public void Split_ManyRandomMembers_ResultsNeverCrossMembers()
    {
        var random = new Random(5);
        var bodies = Enumerable.Range(0, 16).Select(m =>
        {
            var prompts = Enumerable.Range(0, random.Next(1, 4)).Select(i => $"\"prompt {m} {i} {new string('p', random.Next(1, 5))}\"");
            return $$"""{"model":"qwen","prompt":[{{string.Join(',', prompts)}}],"n":2,"max_tokens":5,"seed":11}""";
        }).ToList();

        SplitEqualsAlone(_codec, FakeEngine.Completions, bodies, FakeEngine.Words);
    }

    [Fact]
    public void Split_EngineAnswersOutOfOrder_ChoicesPlacedByIndex()
    {
        SplitEqualsAlone(_codec, FakeEngine.Completions,
            ["""{"prompt":["a","b"],"n":2}""", """{"prompt":"c","n":2}"""],
            FakeEngine.Words,
            batchEngine: body => EmbeddingsCodecTests.Reversed(FakeEngine.Completions(body), "choices"));
    }

    [Fact]
    public void Split_NoCompletionTokenCounter_CompletionTokensByChoiceCount()
    {
        var members = new[] { """{"prompt":["a","b","c"]}""", """{"prompt":"d"}""" }.Select(b => Read(_codec, b)).ToList();
        members[0].Tokens = 3;
        members[1].Tokens = 1;
        const string Answer = """
            {"id":"cmpl-1","choices":[{"index":0,"text":" x"},{"index":1,"text":" x"},{"index":2,"text":" x"},{"index":3,"text":" x y z"}],
             "usage":{"prompt_tokens":4,"total_tokens":14,"completion_tokens":10}}
            """;

        var split = _codec.Split(Encoding.UTF8.GetBytes(Answer), members, null);

        // 10 completion tokens over 3 + 1 choices: 7.5 and 2.5, the half unit to the lower index.
        Assert.Equal([8, 2], split.Bodies!.Select(b => EmbeddingsCodecTests.Usage(b, "completion_tokens")));
        Assert.Equal([3, 1], split.Bodies!.Select(b => EmbeddingsCodecTests.Usage(b, "prompt_tokens")));
        Assert.Equal([11, 3], split.Bodies!.Select(b => EmbeddingsCodecTests.Usage(b, "total_tokens")));
    }

    [Fact]
    public void Merge_Members_OnePromptArrayWithoutUser()
    {
        var members = new[]
        {
            """{"model":"qwen","prompt":"a","n":2,"user":"x","stream":false}""",
            """{"model":"qwen","prompt":["b","c"],"n":2,"stream":false}""",
        }.Select(b => Read(_codec, b)).ToList();

        Assert.Equal("""{"model":"qwen","prompt":["a","b","c"],"n":2,"stream":false}""", Encoding.UTF8.GetString(_codec.Merge(members)));
        Assert.Equal([2, 2], members.Select(m => m.Choices));
    }

    [Fact]
    public void Key_OnlyUserOrPromptsDiffer_Equal()
    {
        var keys = new[]
        {
            """{"model":"qwen","prompt":"a","temperature":0.2,"max_tokens":9,"stop":["\n"],"user":"x"}""",
            """{"model":"qwen","prompt":["b","c"],"temperature":0.2,"max_tokens":9,"stop":["\n"],"user":"y"}""",
            """{"stop":["\n"],"max_tokens":9,"temperature":0.2,"prompt":"d","model":"qwen"}""",
        }.Select(b => Read(_codec, b).Key).Distinct();

        Assert.Single(keys);
    }

    [Theory]
    [InlineData("""{"model":"qwen-2","prompt":"a","temperature":0.2}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.3}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.2,"seed":1}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.2,"max_tokens":10}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.2,"n":2}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.2,"stop":"."}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.2,"echo":true}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.2,"logprobs":2}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.2,"top_p":0.9}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.2,"stream":false}""")]
    [InlineData("""{"model":"qwen","prompt":"a","temperature":0.2,"an_unknown_field":{"x":1}}""")]
    [InlineData("""{"model":"qwen","prompt":[1],"temperature":0.2}""")]
    public void Key_OutputDecidingFieldDiffers_Differs(string body)
    {
        var reference = Read(_codec, """{"model":"qwen","prompt":"a","temperature":0.2}""").Key;

        Assert.NotEqual(reference, Read(_codec, body).Key);
    }

    [Theory]
    [InlineData("""{"prompt":"a","stream":true}""", CoalesceReasons.Stream)]
    [InlineData("""{"prompt":"a","n":2,"best_of":3}""", CoalesceReasons.BestOf)]
    [InlineData("""{"prompt":"a","best_of":"2"}""", CoalesceReasons.BestOf)]
    [InlineData("""{"prompt":"a","use_beam_search":true,"n":2}""", CoalesceReasons.BeamSearch)]
    [InlineData("""{"prompt":"a","prompt_embeds":"AAAA"}""", CoalesceReasons.PromptEmbeds)]
    [InlineData("""{"prompt_embeds":["AAAA"]}""", CoalesceReasons.PromptEmbeds)]
    [InlineData("""{"prompt":"a","n":0}""", CoalesceReasons.N)]
    [InlineData("""{"prompt":"a","n":1.5}""", CoalesceReasons.N)]
    [InlineData("""{"prompt":"a","n":"2"}""", CoalesceReasons.N)]
    [InlineData("""{"prompt":[]}""", CoalesceReasons.EmptyInput)]
    [InlineData("""{"prompt":["a",[1]]}""", CoalesceReasons.InputShape)]
    [InlineData("""{"messages":[]}""", CoalesceReasons.InputShape)]
    public void TryRead_UnsupportedBody_Reason(string body, string reason)
    {
        Assert.Equal(reason, Reason(_codec, body));
    }

    [Theory]
    [InlineData("""{"prompt":"a","n":2,"best_of":2,"stream":false,"use_beam_search":false,"prompt_embeds":null}""")]
    [InlineData("""{"prompt":"a","n":null,"best_of":null}""")]
    public void TryRead_HarmlessSettings_Coalescible(string body)
    {
        Assert.NotNull(Read(_codec, body));
    }

    [Theory]
    [InlineData("""{"choices":[{"index":0},{"index":1},{"index":2}]}""", "3 results for 4 inputs")]
    [InlineData("""{"choices":[{"index":0},{"index":1},{"index":2},{"index":4}]}""", "index")]
    [InlineData("""{"choices":[{"index":0},{"index":1},{"index":2},{"text":"x"}]}""", "index")]
    [InlineData("""{"object":"error","message":"bad"}""", "no choices array")]
    [InlineData("""{"choices":[{"index":0},""", "not JSON")]
    public void Split_AnswerDoesNotFitMembers_Error(string answer, string error)
    {
        var members = new[] { """{"prompt":"a","n":2}""", """{"prompt":"b","n":2}""" }.Select(b => Read(_codec, b)).ToList();

        var split = _codec.Split(Encoding.UTF8.GetBytes(answer), members, null);

        Assert.Null(split.Bodies);
        Assert.Contains(error, split.Error, StringComparison.Ordinal);
    }
}
