using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using AiSidecar.EngineSimulator;
using AiSidecar.ExtProc.Tests.Infrastructure;
using static AiSidecar.ExtProc.Tests.Coalescing.Simulator.Answers;

namespace AiSidecar.ExtProc.Tests.Coalescing.Simulator;

/// <summary><c>POST /v1/embeddings</c>: vLLM's format, every input shape, base64, dimensions, deterministic vectors.</summary>
public sealed class EmbeddingsEndpointTests
{
    private const string Path = "/v1/embeddings";

    [Fact]
    public async Task Embeddings_StringInput_AnswersInVllmsShape()
    {
        await using var host = await SimulatorHost.StartAsync();

        var answer = await host.PostOkAsync(Path, new { input = "the quick fox", model = "bge-small" });

        Assert.Equal(["id", "object", "created", "model", "data", "usage"], Names(answer));
        Assert.StartsWith("embd-", answer.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("list", answer.GetProperty("object").GetString());
        Assert.True(answer.GetProperty("created").GetInt64() > 1_700_000_000);
        Assert.Equal("bge-small", answer.GetProperty("model").GetString());
        var data = Assert.Single(answer.GetProperty("data").EnumerateArray());
        Assert.Equal(["index", "object", "embedding"], Names(data));
        Assert.Equal(0, data.GetProperty("index").GetInt32());
        Assert.Equal("embedding", data.GetProperty("object").GetString());
        Assert.Equal(384, Vector(data).Length);
        Assert.Equal(1.0, Norm(Vector(data)), 5);
        Assert.Equal(["prompt_tokens", "total_tokens", "completion_tokens", "prompt_tokens_details"], Names(answer.GetProperty("usage")));
        Assert.Equal(3, Usage(answer, "prompt_tokens"));
        Assert.Equal(3, Usage(answer, "total_tokens"));
        Assert.Equal(0, Usage(answer, "completion_tokens"));
    }

    [Fact]
    public async Task Embeddings_NoModel_AnswersTheSimulatorsName()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { CostModel = CostModel.Free, Model = "served-name" });

        var answer = await host.PostOkAsync(Path, new { input = "x" });

        Assert.Equal("served-name", answer.GetProperty("model").GetString());
    }

    public static TheoryData<string, int, int> Shapes => new()
    {
        { """ "a b" """, 1, 2 },
        { """ ["a b", "c", "d e f"] """, 3, 6 },
        { """ [101, 2023, 102] """, 1, 3 },
        { """ [[101, 2023], [7], [1, 2, 3, 4]] """, 3, 7 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Embeddings_EveryInputShape_OneUnitVectorPerInputNumberedInOrder(string input, int vectors, int tokens)
    {
        await using var host = await SimulatorHost.StartAsync();

        var answer = await host.PostOkAsync(Path, new { input = JsonDocument.Parse(input).RootElement });

        Assert.Equal(Enumerable.Range(0, vectors), answer.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.All(Vectors(answer), v => Assert.Equal(1.0, Norm(v), 5));
        Assert.Equal(vectors, Vectors(answer).Select(v => string.Join(',', v)).Distinct().Count());
        Assert.Equal(tokens, Usage(answer, "prompt_tokens"));
    }

    [Fact]
    public async Task Embeddings_SameInputAloneOrInABatch_SameVector()
    {
        await using var host = await SimulatorHost.StartAsync();

        var alone = Vectors(await host.PostOkAsync(Path, new { input = "b" }))[0];
        var batched = Vectors(await host.PostOkAsync(Path, new { input = new[] { "a", "b", "c" } }))[1];
        var idsAlone = Vectors(await host.PostOkAsync(Path, new { input = new[] { 5, 6 } }))[0];
        var idsBatched = Vectors(await host.PostOkAsync(Path, new { input = new[] { new[] { 1 }, new[] { 5, 6 } } }))[1];

        Assert.Equal(alone, batched);
        Assert.Equal(idsAlone, idsBatched);
        Assert.NotEqual(alone, idsAlone);
    }

    [Fact]
    public async Task Embeddings_Base64_DecodesToTheFloatVector()
    {
        await using var host = await SimulatorHost.StartAsync();
        string[] input = ["first text", "second text"];

        var floats = Vectors(await host.PostOkAsync(Path, new { input, encoding_format = "float" }));
        var base64 = await host.PostOkAsync(Path, new { input, encoding_format = "base64" });

        var decoded = base64.GetProperty("data").EnumerateArray().Select(d => LittleEndianFloats(d.GetProperty("embedding").GetString()!)).ToArray();
        Assert.Equal(floats, decoded);
    }

    [Fact]
    public async Task Embeddings_Dimensions_TruncatesThenRenormalizes()
    {
        await using var host = await SimulatorHost.StartAsync();

        var full = Vectors(await host.PostOkAsync(Path, new { input = "matryoshka" }))[0];
        var small = Vectors(await host.PostOkAsync(Path, new { input = "matryoshka", dimensions = 8 }))[0];

        Assert.Equal(8, small.Length);
        Assert.Equal(1.0, Norm(small), 5);
        var prefixNorm = Norm(full[..8]);
        Assert.All(Enumerable.Range(0, 8), i => Assert.Equal(full[i] / prefixNorm, small[i], 5));
    }

    [Fact]
    public async Task Embeddings_DimensionsOfTheModel_SameAsNone()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { CostModel = CostModel.Free, Dimensions = 16 });

        var none = Vectors(await host.PostOkAsync(Path, new { input = "x" }))[0];
        var all = Vectors(await host.PostOkAsync(Path, new { input = "x", dimensions = 16 }))[0];

        Assert.Equal(16, none.Length);
        Assert.Equal(none, all);
    }

    [Theory]
    [InlineData(385, "larger than the model")]
    [InlineData(0, "at least 1")]
    public async Task Embeddings_DimensionsOutOfRange_400(int dimensions, string message)
    {
        await using var host = await SimulatorHost.StartAsync();

        var error = await host.PostErrorAsync(Path, new { input = "x", dimensions }, HttpStatusCode.BadRequest);

        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("dimensions", error.GetProperty("param").GetString());
        Assert.Equal("BadRequestError", error.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("""{"model": "m"}""", "input")]
    [InlineData("""{"input": ""}""", "input")]
    [InlineData("""{"input": []}""", "input")]
    [InlineData("""{"input": [1, "a"]}""", "input")]
    [InlineData("""{"input": ["a", 1]}""", "input")]
    [InlineData("""{"input": [[]]}""", "input")]
    [InlineData("""{"input": [-1]}""", "input")]
    [InlineData("""{"input": [1.5]}""", "input")]
    [InlineData("""{"input": {"text": "a"}}""", "input")]
    [InlineData("""{"input": "a", "encoding_format": "bytes"}""", "encoding_format")]
    public async Task Embeddings_InvalidRequest_400NamingTheField(string body, string param)
    {
        await using var host = await SimulatorHost.StartAsync();

        var error = await host.PostErrorAsync(Path, JsonDocument.Parse(body).RootElement, HttpStatusCode.BadRequest);

        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Embeddings_TokenCounter_CountsTextsWithSpecialTokensAndIdsAsGiven()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            CostModel = CostModel.Free,
            CountTokens = ExpectedTokens.Text,
            SpecialTokens = 2,
        });
        const string Text = "Tokenizers split unusual words like antidisestablishmentarianism.";

        var texts = await host.PostOkAsync(Path, new { input = new[] { Text, "hi" } });
        var ids = await host.PostOkAsync(Path, new { input = new[] { new[] { 1, 2, 3 } } });

        Assert.Equal(ExpectedTokens.Text(Text) + 2 + ExpectedTokens.Text("hi") + 2, Usage(texts, "prompt_tokens"));
        Assert.Equal(3, Usage(ids, "prompt_tokens"));
    }

    private static float[] LittleEndianFloats(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        return Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
    }
}
