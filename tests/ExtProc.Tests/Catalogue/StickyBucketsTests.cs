using AiSidecar.ExtProc.Catalogue;

namespace AiSidecar.ExtProc.Tests.Catalogue;

public sealed class StickyBucketsTests
{
    // The documented contract: XXH64(UTF-8(model) ‖ 0x00 ‖ UTF-8(key), seed 0) mod 10000. These values were computed
    // with an independent XXH64 written from the xxHash spec; they pin the contract, so a change of hash (which would
    // move users between variants during a rolling upgrade) fails here first.
    [Theory]
    [InlineData("qwen3-8b", "alice", 5490)]
    [InlineData("qwen3-8b", "bob", 9936)]
    [InlineData("bge-m3", "alice", 7915)]
    public void Of_KnownPairs_GiveTheDocumentedBuckets(string model, string key, int bucket)
    {
        Assert.Equal(bucket, StickyBuckets.Of(model, key));
    }

    [Fact]
    public void Of_ModelAndKeyBoundary_IsSeparated()
    {
        Assert.NotEqual(StickyBuckets.Of("ab", "c"), StickyBuckets.Of("a", "bc"));
    }

    [Fact]
    public void Of_LongNonAsciiKey_StaysInRange()
    {
        var bucket = StickyBuckets.Of("m", string.Concat(Enumerable.Repeat("ключ-", 500)));

        Assert.InRange(bucket, 0, StickyBuckets.Count - 1);
    }
}
