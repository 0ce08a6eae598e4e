using System.Text;
using AiSidecar.ExtProc.Coalescing.Codecs;
using static AiSidecar.ExtProc.Tests.Coalescing.Codecs.CodecAssert;

namespace AiSidecar.ExtProc.Tests.Coalescing.Codecs;

public sealed class RerankCodecTests
{
    private readonly RerankCodec _codec = new();

    [Fact]
    public void Split_TopNMembers_EachEqualsItsOwnAnswer()
    {
        SplitEqualsAlone(_codec, FakeEngine.Rerank,
        [
            """{"model":"bge","query":"what is a panda","documents":["bears","bamboo","cities","rivers"],"top_n":2,"user":"a"}""",
            """{"model":"bge","query":"what is a panda","documents":["china"],"top_n":3}""",
            """{"model":"bge","query":"what is a panda","documents":["x","y","z"]}""",
            """{"query":"what is a panda","model":"bge","documents":["p","q","r"],"top_n":0}""",
            """{"model":"bge","query":"what is a panda","documents":["one","two","three"],"top_n":-1}""",
        ]);
    }

    [Fact]
    public void Split_ReturnDocumentsFalseAndObjectDocuments_EachEqualsItsOwnAnswer()
    {
        SplitEqualsAlone(_codec, FakeEngine.Rerank,
        [
            """{"model":"jina","query":"q","documents":[{"text":"a"},{"text":"b"}],"return_documents":false,"top_n":1}""",
            """{"model":"jina","query":"q","documents":[{"text":"c"},{"text":"d"},{"text":"e"}],"return_documents":false}""",
        ]);
    }

    [Fact]
    public void Split_TiedScores_TiesInTheEnginesOrder()
    {
        // Equal documents score equally: the engine's stable sort keeps them in index order, and so must the split.
        SplitEqualsAlone(_codec, FakeEngine.Rerank,
        [
            """{"model":"bge","query":"q","documents":["same","other","same","same"],"top_n":3}""",
            """{"model":"bge","query":"q","documents":["same","same"]}""",
        ]);
    }

    [Fact]
    public void Split_TeiNativeTexts_EachEqualsItsOwnAnswerWithTeiTieOrder()
    {
        SplitEqualsAlone(_codec, FakeEngine.Rerank,
        [
            """{"query":"q","texts":["same","a","same"],"return_text":true}""",
            """{"query":"q","texts":["b","same","c"],"return_text":true}""",
        ]);
    }

    [Fact]
    public void Split_ManyRandomMembers_ResultsNeverCrossMembers()
    {
        var random = new Random(7);
        var bodies = Enumerable.Range(0, 20).Select(m =>
        {
            var documents = Enumerable.Range(0, random.Next(1, 6)).Select(i => $"\"doc {m}.{i} {new string('w', random.Next(1, 4))}\"");
            return $$"""{"model":"bge","query":"the query","documents":[{{string.Join(',', documents)}}],"top_n":{{random.Next(0, 4)}}}""";
        }).ToList();

        SplitEqualsAlone(_codec, FakeEngine.Rerank, bodies);
    }

    [Fact]
    public void Split_EngineAnswersUnsorted_SortedByScore()
    {
        SplitEqualsAlone(_codec, FakeEngine.Rerank,
            ["""{"model":"bge","query":"q","documents":["a","b","c","d"],"top_n":2}""", """{"model":"bge","query":"q","documents":["e","f"]}"""],
            batchEngine: body => EmbeddingsCodecTests.Reversed(FakeEngine.Rerank(body), "results"));
    }

    [Fact]
    public void Merge_Members_AllDocumentsWithoutTopNOrUser()
    {
        var members = new[]
        {
            """{"model":"bge","query":"q","documents":["a","b"],"top_n":1,"user":"x"}""",
            """{"model":"bge","query":"q","top_n":5,"documents":["c"]}""",
        }.Select(b => Read(_codec, b)).ToList();

        Assert.Equal("""{"model":"bge","query":"q","documents":["a","b","c"]}""", Encoding.UTF8.GetString(_codec.Merge(members)));
        Assert.Equal([1, 5], members.Select(m => m.TopN));
    }

    [Fact]
    public void Merge_TeiMembers_AllTexts()
    {
        var members = new[] { """{"query":"q","texts":["a"],"raw_scores":false}""", """{"query":"q","texts":["b","c"],"raw_scores":false}""" }
            .Select(b => Read(_codec, b)).ToList();

        Assert.Equal("""{"query":"q","texts":["a","b","c"],"raw_scores":false}""", Encoding.UTF8.GetString(_codec.Merge(members)));
    }

    [Fact]
    public void Key_OnlyTopNUserOrDocumentsDiffer_Equal()
    {
        var keys = new[]
        {
            """{"model":"bge","query":"q","documents":["a"],"top_n":1,"user":"x"}""",
            """{"model":"bge","query":"q","documents":["b","c"],"top_n":2,"user":"y"}""",
            """{"documents":["d"],"query":"q","model":"bge"}""",
        }.Select(b => Read(_codec, b).Key).Distinct();

        Assert.Single(keys);
    }

    [Theory]
    [InlineData("""{"model":"bge","query":"another query","documents":["a"]}""")]
    [InlineData("""{"model":"bge-large","query":"q","documents":["a"]}""")]
    [InlineData("""{"model":"bge","query":"q","documents":["a"],"return_documents":false}""")]
    [InlineData("""{"model":"bge","query":"q","documents":["a"],"truncate_prompt_tokens":8}""")]
    [InlineData("""{"model":"bge","query":"q","documents":[{"text":"a"}]}""")]
    [InlineData("""{"model":"bge","query":"q","texts":["a"]}""")]
    public void Key_OutputDecidingFieldDiffers_Differs(string body)
    {
        var reference = Read(_codec, """{"model":"bge","query":"q","documents":["a"]}""").Key;

        Assert.NotEqual(reference, Read(_codec, body).Key);
    }

    [Theory]
    [InlineData("""{"query":"q"}""", CoalesceReasons.InputShape)]
    [InlineData("""{"query":"q","documents":"a"}""", CoalesceReasons.InputShape)]
    [InlineData("""{"query":"q","documents":{"content":[{"type":"image_url"}]}}""", CoalesceReasons.InputShape)]
    [InlineData("""{"query":"q","documents":["a",{"text":"b"}]}""", CoalesceReasons.InputShape)]
    [InlineData("""{"query":"q","documents":["a"],"texts":["b"]}""", CoalesceReasons.InputShape)]
    [InlineData("""{"query":"q","texts":[{"text":"b"}]}""", CoalesceReasons.InputShape)]
    [InlineData("""{"query":"q","documents":[]}""", CoalesceReasons.EmptyInput)]
    [InlineData("""{"query":"q","documents":["a"],"top_n":"2"}""", CoalesceReasons.TopN)]
    [InlineData("""{"query":"q","documents":["a"],"top_n":1.5}""", CoalesceReasons.TopN)]
    public void TryRead_UnsupportedBody_Reason(string body, string reason)
    {
        Assert.Equal(reason, Reason(_codec, body));
    }

    [Theory]
    [InlineData("""{"results":[{"index":0,"relevance_score":0.5}]}""", "1 results for 2 inputs")]
    [InlineData("""{"results":[{"index":0,"relevance_score":0.5},{"index":0,"relevance_score":0.4}]}""", "index")]
    [InlineData("""{"results":[{"index":0,"relevance_score":0.5},{"index":1}]}""", "no score")]
    [InlineData("""{"results":[{"index":0,"relevance_score":0.5},{"index":1,"relevance_score":"high"}]}""", "no score")]
    [InlineData("""[{"index":0,"score":0.5},{"index":1,"score":0.4}]""", "no results array")]
    public void Split_AnswerDoesNotFitMembers_Error(string answer, string error)
    {
        var members = new[] { """{"query":"q","documents":["a"]}""", """{"query":"q","documents":["b"]}""" }.Select(b => Read(_codec, b)).ToList();

        var split = _codec.Split(Encoding.UTF8.GetBytes(answer), members, null);

        Assert.Null(split.Bodies);
        Assert.Contains(error, split.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_TeiMembersObjectAnswer_Error()
    {
        var members = new[] { """{"query":"q","texts":["a"]}""" }.Select(b => Read(_codec, b)).ToList();

        var split = _codec.Split(Encoding.UTF8.GetBytes("""{"results":[{"index":0,"relevance_score":0.5}]}"""), members, null);

        Assert.Equal("the upstream answer is not an array", split.Error);
    }
}
