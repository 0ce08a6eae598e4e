using System.Net;
using System.Text.Json;
using AiSidecar.EngineSimulator;
using static AiSidecar.ExtProc.Tests.Coalescing.Simulator.Answers;

namespace AiSidecar.ExtProc.Tests.Coalescing.Simulator;

/// <summary><c>POST /rerank</c> and <c>/v1/rerank</c>: vLLM's format, the order, <c>top_n</c>, deterministic scores.</summary>
public sealed class RerankEndpointTests
{
    private static readonly string[] Documents = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];

    [Theory]
    [InlineData("/rerank")]
    [InlineData("/v1/rerank")]
    public async Task Rerank_Documents_EveryResultByScoreDescendingInVllmsShape(string path)
    {
        await using var host = await SimulatorHost.StartAsync();

        var answer = await host.PostOkAsync(path, new { model = "reranker", query = "what sorts first", documents = Documents });

        Assert.Equal(["id", "model", "usage", "results"], Names(answer));
        Assert.StartsWith("rerank-", answer.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("reranker", answer.GetProperty("model").GetString());
        var results = answer.GetProperty("results").EnumerateArray().ToArray();
        Assert.All(results, r => Assert.Equal(["index", "document", "relevance_score"], Names(r)));
        Assert.Equal(Enumerable.Range(0, Documents.Length), ResultIndices(answer).Order());
        Assert.All(results, r => Assert.Equal(Documents[r.GetProperty("index").GetInt32()], r.GetProperty("document").GetProperty("text").GetString()));
        var scores = results.Select(r => r.GetProperty("relevance_score").GetDouble()).ToArray();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(scores, s => Assert.InRange(s, 0.0, 1.0));
        Assert.Equal(Documents.Length, scores.Distinct().Count());
    }

    [Fact]
    public async Task Rerank_EqualScores_LowerIndexFirst()
    {
        await using var host = await SimulatorHost.StartAsync();

        var answer = await host.PostOkAsync("/rerank", new { query = "q", documents = new[] { "same", "other", "same", "same" } });

        var same = ResultIndices(answer).Where(i => i != 1).ToArray();
        Assert.Equal([0, 2, 3], same);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(0, 6)]
    [InlineData(-1, 6)]
    [InlineData(10, 6)]
    public async Task Rerank_TopN_TheBestNOfTheFullOrder(int topN, int expected)
    {
        await using var host = await SimulatorHost.StartAsync();

        var all = ResultIndices(await host.PostOkAsync("/rerank", new { query = "q", documents = Documents }));
        var top = await host.PostOkAsync("/rerank", new { query = "q", documents = Documents, top_n = topN });

        Assert.Equal(all.Take(expected), ResultIndices(top));
        Assert.Equal(2 * Documents.Length, Usage(top, "total_tokens")); // "q" and one word per pair
    }

    [Fact]
    public async Task Rerank_ReturnDocumentsFalse_ResultsWithoutDocuments()
    {
        await using var host = await SimulatorHost.StartAsync();

        var answer = await host.PostOkAsync("/rerank", new { query = "q", documents = Documents, return_documents = false });

        Assert.All(answer.GetProperty("results").EnumerateArray(), r => Assert.Equal(["index", "relevance_score"], Names(r)));
    }

    [Fact]
    public async Task Rerank_TextObjects_SameAnswerAsStrings()
    {
        await using var host = await SimulatorHost.StartAsync();

        var strings = await host.PostOkAsync("/rerank", new { query = "q", documents = Documents });
        var objects = await host.PostOkAsync("/v1/rerank", new { query = "q", documents = Documents.Select(text => new { text }) });

        Assert.Equal(strings.GetProperty("results").GetRawText(), objects.GetProperty("results").GetRawText());
    }

    [Fact]
    public async Task Rerank_ADocumentsScore_SameAloneOrWithOthersAndPerQuery()
    {
        await using var host = await SimulatorHost.StartAsync();

        var alone = Score(await host.PostOkAsync("/rerank", new { query = "q", documents = new[] { "charlie" } }), 0);
        var withOthers = Score(await host.PostOkAsync("/rerank", new { query = "q", documents = Documents }), 2);
        var otherQuery = Score(await host.PostOkAsync("/rerank", new { query = "another query", documents = new[] { "charlie" } }), 0);

        Assert.Equal(alone, withOthers);
        Assert.NotEqual(alone, otherQuery);
    }

    [Fact]
    public async Task Rerank_Usage_QueryAndDocumentOfEveryPairWithSpecialTokens()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { CostModel = CostModel.Free, SpecialTokens = 3 });

        var answer = await host.PostOkAsync("/rerank", new { query = "two words", documents = new[] { "one", "three more words" }, top_n = 1 });

        Assert.Equal(["prompt_tokens", "total_tokens"], Names(answer.GetProperty("usage")));
        Assert.Equal((2 + 1 + 3) + (2 + 3 + 3), Usage(answer, "total_tokens"));
        Assert.Equal(Usage(answer, "total_tokens"), Usage(answer, "prompt_tokens"));
    }

    [Theory]
    [InlineData("""{"documents": ["a"]}""", "query")]
    [InlineData("""{"query": "q"}""", "documents")]
    [InlineData("""{"query": "q", "documents": []}""", "documents")]
    [InlineData("""{"query": "q", "documents": [1]}""", "documents")]
    [InlineData("""{"query": "q", "documents": [{"content": []}]}""", "documents")]
    [InlineData("""{"query": "q", "documents": ["a"], "top_n": "1"}""", "top_n")]
    public async Task Rerank_InvalidRequest_400NamingTheField(string body, string param)
    {
        await using var host = await SimulatorHost.StartAsync();

        var error = await host.PostErrorAsync("/rerank", JsonDocument.Parse(body).RootElement, HttpStatusCode.BadRequest);

        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    private static double Score(JsonElement answer, int index) =>
        answer.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("index").GetInt32() == index).GetProperty("relevance_score").GetDouble();
}
