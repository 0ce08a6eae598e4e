using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Tests.Tokenization;

public sealed class RecentMergesTests
{
    [Fact]
    public void TryGet_AfterSet_ReturnsTheRankOrNoMerge()
    {
        var recent = new RecentMerges();
        recent.Set(199_997, 5, 123_456);
        recent.Set(7, 8, -1);

        Assert.True(recent.TryGet(199_997, 5, out var rank));
        Assert.Equal(123_456, rank);
        Assert.True(recent.TryGet(7, 8, out rank));
        Assert.Equal(-1, rank);
    }

    [Fact]
    public void TryGet_PairNeverSetOrSwapped_IsAMiss()
    {
        var recent = new RecentMerges();
        recent.Set(1, 2, 10);

        Assert.False(recent.TryGet(2, 1, out _));
        Assert.False(recent.TryGet(3, 4, out _));
        Assert.False(recent.TryGet(0, 0, out _));
    }

    [Fact]
    public void TryGet_ManyPairs_AnswersOnlyWhatWasSet()
    {
        // More pairs than slots: entries are replaced, never confused.
        var recent = new RecentMerges();
        for (var left = 0; left < 1000; left++)
        {
            for (var right = 0; right < 200; right++)
            {
                recent.Set(left, right, left + right);
            }
        }

        for (var left = 0; left < 1000; left++)
        {
            for (var right = 0; right < 200; right++)
            {
                Assert.True(!recent.TryGet(left, right, out var rank) || rank == left + right);
            }
        }
    }
}
