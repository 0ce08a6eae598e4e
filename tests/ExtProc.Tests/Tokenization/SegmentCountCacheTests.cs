using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;
using AiSidecar.ExtProc.Tokenization.HuggingFace;
using AiSidecar.ExtProc.Tokenization.Templates;

namespace AiSidecar.ExtProc.Tests.Tokenization;

public sealed class SegmentCountCacheTests
{
    private static readonly string Long = string.Concat(Enumerable.Repeat("A long message that the client resends every turn. ", 20));

    [Fact]
    public void GetOrCount_SameTextTwice_CountsOnce()
    {
        var cache = new SegmentCountCache(16);
        var calls = 0;

        var first = cache.GetOrCount(1, Long, CountBudget.Unlimited, 0, _ => ++calls);
        var second = cache.GetOrCount(1, Long, CountBudget.Unlimited, 0, _ => ++calls);

        Assert.Equal((1, 1, 1L), (first, second, cache.Hits));
    }

    [Fact]
    public void GetOrCount_OtherTokenizer_IsAMiss()
    {
        var cache = new SegmentCountCache(16);
        cache.GetOrCount(1, Long, CountBudget.Unlimited, 0, _ => 1);

        Assert.Equal(2, cache.GetOrCount(2, Long, CountBudget.Unlimited, 0, _ => 2));
    }

    [Fact]
    public void GetOrCount_BeyondCapacity_StaysBounded()
    {
        var cache = new SegmentCountCache(4);
        for (var i = 0; i < 100; i++)
        {
            cache.GetOrCount(1, Long + i, CountBudget.Unlimited, 0, _ => 1);
        }

        // Only the two newest generations survive: the first text is counted again.
        var calls = 0;
        cache.GetOrCount(1, Long + 0, CountBudget.Unlimited, 0, _ => ++calls);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void CountTokens_MultiTurnHistory_HitsCacheForResentMessages()
    {
        var cache = new SegmentCountCache(1024);
        var tokenizer = TokenizerJsonLoader.Load(GoldenFiles.ModelFile("qwen3"), cache);
        var uncached = GoldenFiles.Tokenizer("qwen3");
        var counter = new PromptCounter(tokenizer, new ChatMlFormat(), 0, maxMergeBytes: 0);
        var history = new List<ChatMessage>();
        for (var turn = 0; turn < 6; turn++)
        {
            if (turn > 0)
            {
                history.Add(Message("assistant", $"Answer {turn}: {Long}"));
            }

            history.Add(Message("user", $"Question {turn}: {Long}"));
            var request = new InferenceRequest { Kind = ApiKind.ChatCompletions, Messages = [.. history] };

            Assert.Equal(uncached.CountTokens(new ChatMlFormat().Render(request)), counter.Count(request).Tokens);
        }

        // Each turn counts only its new messages (1, then 2 a turn); every resent one is a hit.
        Assert.Equal(11, cache.Misses);
        Assert.Equal(25, cache.Hits);
    }

    private static ChatMessage Message(string role, string text) => new(role, null, [text], 0) { Content = text };
}
