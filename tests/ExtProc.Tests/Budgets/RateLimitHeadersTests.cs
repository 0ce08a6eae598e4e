using AiSidecar.ExtProc.Budgets;

namespace AiSidecar.ExtProc.Tests.Budgets;

public sealed class RateLimitHeadersTests
{
    [Theory]
    [InlineData(20, "20ms")]
    [InlineData(1000, "1s")]
    [InlineData(59_001, "1m0s")]
    [InlineData(360_000, "6m0s")]
    [InlineData(86_399_000, "23h59m59s")]
    public void Duration_Milliseconds_WrittenAsOpenAiDoes(long milliseconds, string expected) =>
        Assert.Equal(expected, RateLimitHeaders.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void For_TokensPerDayOnly_TokenHeadersTellTheDayWindow()
    {
        var headers = RateLimitHeaders.For(new BudgetLimits { TokensPerDay = 5000 }, new ReserveResult(true, BudgetCounter.None, 0, 1200, 0),
            TimeSpan.FromSeconds(30), TimeSpan.FromHours(2));

        Assert.Equal(
            [new("x-ratelimit-limit-tokens", "5000"), new("x-ratelimit-remaining-tokens", "3800"), new("x-ratelimit-reset-tokens", "2h0m0s")],
            headers);
    }
}
