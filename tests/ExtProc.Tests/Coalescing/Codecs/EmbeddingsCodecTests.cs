using System.Text;
using System.Text.Json;
using AiSidecar.ExtProc.Coalescing.Codecs;
using static AiSidecar.ExtProc.Tests.Coalescing.Codecs.CodecAssert;

namespace AiSidecar.ExtProc.Tests.Coalescing.Codecs;

public sealed class EmbeddingsCodecTests
{
    private readonly EmbeddingsCodec _codec = new();

    [Fact]
    public void Split_FloatMembers_EachEqualsItsOwnAnswer()
    {
        SplitEqualsAlone(_codec, FakeEngine.Embeddings,
        [
            """{"model":"e5","input":"one text","user":"alice"}""",
            """{"model":"e5","input":["two texts here","and a second one","third"],"user":"bob"}""",
            """{"input":["a single element list"],"model":"e5"}""",
        ]);
    }

    [Fact]
    public void Split_Base64WithDimensions_EachEqualsItsOwnAnswer()
    {
        SplitEqualsAlone(_codec, FakeEngine.Embeddings,
        [
            """{"model":"e5","input":["x y","z"],"encoding_format":"base64","dimensions":16}""",
            """{"model":"e5","input":"w","encoding_format":"base64","dimensions":16}""",
        ]);
    }

    [Fact]
    public void Split_TokenArrayMembers_EachEqualsItsOwnAnswer()
    {
        SplitEqualsAlone(_codec, FakeEngine.Embeddings,
        [
            """{"model":"e5","input":[101, 2023, 102]}""",
            """{"model":"e5","input":[[7,8],[9],[10,11,12]]}""",
        ]);
    }

    [Fact]
    public void Split_ManyRandomMembers_ResultsNeverCrossMembers()
    {
        var random = new Random(12);
        var bodies = Enumerable.Range(0, 24).Select(m =>
        {
            var inputs = Enumerable.Range(0, random.Next(1, 5)).Select(i => $"\"member {m} input {i} {new string('w', random.Next(1, 9))}\"");
            return $$"""{"model":"e5","input":[{{string.Join(',', inputs)}}],"user":"u{{m}}"}""";
        }).ToList();

        SplitEqualsAlone(_codec, FakeEngine.Embeddings, bodies);
    }

    [Fact]
    public void Split_EngineAnswersOutOfOrder_ResultsPlacedByIndex()
    {
        SplitEqualsAlone(_codec, FakeEngine.Embeddings,
            ["""{"model":"e5","input":["a","b"]}""", """{"model":"e5","input":["c","d","e"]}"""],
            batchEngine: body => Reversed(FakeEngine.Embeddings(body), "data"));
    }

    [Fact]
    public void Split_MemberCountsDisagreeWithEngine_SharesByLargestRemainderSumToEngineTotal()
    {
        var members = new[] { """{"input":"a b c"}""", """{"input":"d e"}""", """{"input":"f"}""" }.Select(b => Read(_codec, b)).ToList();
        members[0].Tokens = 1;
        members[1].Tokens = 1;
        members[2].Tokens = 1;

        var answer = FakeEngine.Embeddings(_codec.Merge(members)); // 3 + 2 + 1 words, 2 special tokens each: 12
        var split = _codec.Split(answer, members, null);

        var prompt = split.Bodies!.Select(b => Usage(b, "prompt_tokens")).ToList();
        Assert.Equal([4, 4, 4], prompt);
        Assert.Equal(prompt, split.Bodies!.Select(b => Usage(b, "total_tokens")).ToList());
        Assert.All(split.Bodies!, b => Assert.Equal(0, Usage(b, "completion_tokens")));
    }

    [Fact]
    public void Merge_Members_OneInputArrayInMemberOrderWithoutUser()
    {
        var members = new[]
        {
            """{"model":"e5","input":"a","encoding_format":"float","user":"alice"}""",
            """{"user":"bob","encoding_format":"float","input":["b","c"],"model":"e5"}""",
            """{"model":"e5","encoding_format":"float","input":["d \u00e9"]}""",
        }.Select(b => Read(_codec, b)).ToList();

        var merged = Encoding.UTF8.GetString(_codec.Merge(members));

        Assert.Equal("""{"model":"e5","input":["a","b","c","d \u00e9"],"encoding_format":"float"}""", merged);
        Assert.Equal([1, 2, 1], members.Select(m => m.Items));
    }

    [Fact]
    public void Merge_TokenArrayMembers_ArrayOfTokenArrays()
    {
        var members = new[] { """{"input":[1,2,3]}""", """{"input":[[4],[5,6]]}""" }.Select(b => Read(_codec, b)).ToList();

        Assert.Equal("""{"input":[[1,2,3],[4],[5,6]]}""", Encoding.UTF8.GetString(_codec.Merge(members)));
    }

    [Fact]
    public void TryRead_BodyWithByteOrderMark_Reads()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"input":"a"}""")).ToArray();

        Assert.True(_codec.TryRead(body, out var member, out _));
        Assert.Equal("""{"input":["a"]}""", Encoding.UTF8.GetString(_codec.Merge([member])));
    }

    [Fact]
    public void Key_OnlyUserInputsOrFieldOrderDiffer_Equal()
    {
        var keys = new[]
        {
            """{"model":"e5","input":"a","encoding_format":"float","dimensions":8,"user":"alice"}""",
            """{"dimensions":8,"user":"bob","encoding_format":"float","input":["b","c"],"model":"e5"}""",
            """{"model":"e5","encoding_format":"float","dimensions":8,"input":["d"]}""",
        }.Select(b => Read(_codec, b).Key).Distinct();

        Assert.Single(keys);
    }

    [Theory]
    [InlineData("""{"model":"e5-large","input":"a","encoding_format":"float"}""")]
    [InlineData("""{"model":"e5","input":"a","encoding_format":"base64"}""")]
    [InlineData("""{"model":"e5","input":"a"}""")]
    [InlineData("""{"model":"e5","input":"a","encoding_format":"float","dimensions":256}""")]
    [InlineData("""{"model":"e5","input":"a","encoding_format":"float","truncate_prompt_tokens":16}""")]
    [InlineData("""{"model":"e5","input":"a","encoding_format":"float","normalize":false}""")]
    [InlineData("""{"model":"e5","input":"a","encoding_format":"float","an_unknown_field":1}""")]
    [InlineData("""{"model":"e5","input":[1,2],"encoding_format":"float"}""")]
    public void Key_OutputDecidingFieldDiffers_Differs(string body)
    {
        var reference = Read(_codec, """{"model":"e5","input":"a","encoding_format":"float"}""").Key;

        Assert.NotEqual(reference, Read(_codec, body).Key);
    }

    [Theory]
    [InlineData("not json", CoalesceReasons.InvalidJson)]
    [InlineData("""["input"]""", CoalesceReasons.InvalidJson)]
    [InlineData("""{"input":"a","input":"b"}""", CoalesceReasons.DuplicateField)]
    [InlineData("""{"model":"e5"}""", CoalesceReasons.InputShape)]
    [InlineData("""{"input":null}""", CoalesceReasons.InputShape)]
    [InlineData("""{"input":["a",[1,2]]}""", CoalesceReasons.InputShape)]
    [InlineData("""{"input":[[1,2],"a"]}""", CoalesceReasons.InputShape)]
    [InlineData("""{"input":[1.5,2]}""", CoalesceReasons.InputShape)]
    [InlineData("""{"input":[{"text":"a"}]}""", CoalesceReasons.InputShape)]
    [InlineData("""{"messages":[{"role":"user","content":"a"}]}""", CoalesceReasons.InputShape)]
    [InlineData("""{"input":[]}""", CoalesceReasons.EmptyInput)]
    [InlineData("""{"input":""}""", CoalesceReasons.EmptyInput)]
    [InlineData("""{"input":["a",""]}""", CoalesceReasons.EmptyInput)]
    [InlineData("""{"input":[[1],[]]}""", CoalesceReasons.EmptyInput)]
    [InlineData("""{"input":"a","encoding_format":"bytes"}""", CoalesceReasons.EncodingFormat)]
    public void TryRead_UnsupportedBody_Reason(string body, string reason)
    {
        Assert.Equal(reason, Reason(_codec, body));
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("""{"object":"list","data":{}}""", "no data array")]
    [InlineData("""{"data":[{"index":0,"embedding":[1]},{"index":1,"embedding":[2]}]}""", "2 results for 3 inputs")]
    [InlineData("""{"data":[{"index":0},{"index":1},{"embedding":[3]}]}""", "index")]
    [InlineData("""{"data":[{"index":0},{"index":1},{"index":1}]}""", "index")]
    [InlineData("""{"data":[{"index":0},{"index":1},{"index":3}]}""", "index")]
    [InlineData("""{"data":[{"index":0},{"index":1},{"index":"2"}]}""", "index")]
    [InlineData("""{"data":[{"index":0},{"index":1},7]}""", "index")]
    public void Split_AnswerDoesNotFitMembers_Error(string answer, string error)
    {
        var members = new[] { """{"input":["a","b"]}""", """{"input":"c"}""" }.Select(b => Read(_codec, b)).ToList();

        var split = _codec.Split(Encoding.UTF8.GetBytes(answer), members, null);

        Assert.Null(split.Bodies);
        Assert.Contains(error, split.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_IdWithUnpairedSurrogateEscape_Error()
    {
        var members = new[] { """{"input":"a"}""" }.Select(b => Read(_codec, b)).ToList();

        var split = _codec.Split(Encoding.UTF8.GetBytes("""{"id":"embd-\ud800","data":[{"index":0}]}"""), members, null);

        Assert.Equal("the upstream answer holds an invalid string", split.Error);
    }

    [Fact]
    public void Split_Answer_IdsStayDistinctPerMember()
    {
        var members = new[] { """{"input":"a"}""", """{"input":"b"}""" }.Select(b => Read(_codec, b)).ToList();

        var split = _codec.Split(Encoding.UTF8.GetBytes("""{"id":"embd-1","data":[{"index":1},{"index":0}]}"""), members, null);

        Assert.Equal(["""{"id":"embd-1-0","data":[{"index":0}]}""", """{"id":"embd-1-1","data":[{"index":0}]}"""], split.Bodies!.Select(Encoding.UTF8.GetString));
    }

    internal static long Usage(byte[] body, string name)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("usage").GetProperty(name).GetInt64();
    }

    /// <summary>The answer with its list reversed (the codec must not trust the engine's order).</summary>
    internal static byte[] Reversed(byte[] answer, string list)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(answer)!;
        var items = node[list]!.AsArray();
        var reversed = items.Reverse().Select(item => item!.DeepClone()).ToArray();
        node[list] = new System.Text.Json.Nodes.JsonArray(reversed);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
