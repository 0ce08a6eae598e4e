using System.Buffers;
using System.Text;
using System.Text.Json;
using AiSidecar.ExtProc.Coalescing.Codecs;

namespace AiSidecar.ExtProc.Tests.Coalescing.Codecs;

public sealed class UsageSharesTests
{
    [Theory]
    [InlineData(12, new long[] { 5, 7 }, new long[] { 5, 7 })]
    [InlineData(10, new long[] { 1, 1, 1 }, new long[] { 4, 3, 3 })]
    [InlineData(11, new long[] { 1, 1, 1 }, new long[] { 4, 4, 3 })]
    [InlineData(10, new long[] { 1, 2, 3 }, new long[] { 2, 3, 5 })]
    [InlineData(7, new long[] { 0, 0 }, new long[] { 4, 3 })]
    [InlineData(5, new long[] { 0, 3 }, new long[] { 0, 5 })]
    [InlineData(0, new long[] { 4, 9 }, new long[] { 0, 0 })]
    [InlineData(100, new long[] { 1, 1, 98 }, new long[] { 1, 1, 98 })]
    [InlineData(13, new long[] { 2, 3, 5 }, new long[] { 3, 4, 6 })]
    public void LargestRemainder_Weights_SharesSumToTotal(long total, long[] weights, long[] expected)
    {
        var shares = UsageShares.LargestRemainder(total, weights);

        Assert.Equal(expected, shares);
        Assert.Equal(total, shares.Sum());
    }

    [Fact]
    public void LargestRemainder_HugeNumbers_NoOverflow()
    {
        var shares = UsageShares.LargestRemainder(long.MaxValue / 2, [long.MaxValue / 3, long.MaxValue / 3, 1]);

        Assert.Equal(long.MaxValue / 2, shares.Sum());
    }

    [Fact]
    public void Write_NestedDetailsAndOtherValues_ApportionedOrCopied()
    {
        const string Usage = """
            {"prompt_tokens":10,"total_tokens":16,"completion_tokens":6,
             "prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":3},"cost":0.5,"note":"x"}
            """;
        using var document = JsonDocument.Parse(Usage);

        var shares = new UsageShares(document.RootElement, [7, 3], [1, 2]);

        Assert.Equal(
            """{"prompt_tokens":7,"total_tokens":9,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":1},"cost":0.5,"note":"x"}""",
            Write(shares, 0));
        Assert.Equal(
            """{"prompt_tokens":3,"total_tokens":7,"completion_tokens":4,"prompt_tokens_details":{"cached_tokens":1},"completion_tokens_details":{"reasoning_tokens":2},"cost":0.5,"note":"x"}""",
            Write(shares, 1));
    }

    [Fact]
    public void Write_OnlyTotalTokens_ApportionedByPromptWeights()
    {
        using var document = JsonDocument.Parse("""{"total_tokens":9}""");

        var shares = new UsageShares(document.RootElement, [1, 2], null);

        Assert.Equal(["""{"total_tokens":3}""", """{"total_tokens":6}"""], new[] { Write(shares, 0), Write(shares, 1) });
    }

    [Fact]
    public void Write_TotalNotPromptPlusCompletion_TotalApportionedOnItsOwn()
    {
        using var document = JsonDocument.Parse("""{"prompt_tokens":4,"total_tokens":10}""");

        var shares = new UsageShares(document.RootElement, [1, 1], null);

        Assert.Equal(["""{"prompt_tokens":2,"total_tokens":5}""", """{"prompt_tokens":2,"total_tokens":5}"""], new[] { Write(shares, 0), Write(shares, 1) });
    }

    [Fact]
    public void PromptWeights_NoTokensKnown_ItemCounts()
    {
        CoalesceMember[] members = [new() { Key = "k", Items = 2, Bytes = 1 }, new() { Key = "k", Items = 5, Bytes = 1 }];

        Assert.Equal([2, 5], UsageShares.PromptWeights(members));

        members[0].Tokens = 9;
        Assert.Equal([9, 0], UsageShares.PromptWeights(members));
    }

    private static string Write(UsageShares shares, int member)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            shares.Write(writer, member);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
