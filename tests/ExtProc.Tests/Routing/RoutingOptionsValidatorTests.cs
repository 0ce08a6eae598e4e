using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Tests.Routing;

public sealed class RoutingOptionsValidatorTests
{
    private static List<string> Errors(RoutingOptions options) =>
        new RoutingOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.Empty(Errors(new RoutingOptions { Ranges = RoutingOptions.DefaultRanges() }));
    }

    [Fact]
    public void Validate_DescendingBounds_NamesTheRange()
    {
        var options = new RoutingOptions
        {
            Ranges = [new() { Name = "a", MaxTokens = 10, Pool = "p" }, new() { Name = "b", MaxTokens = 5, Pool = "p" }, new() { Name = "c", Pool = "p" }],
        };

        Assert.Contains(Errors(options), e => e.Contains("routing.ranges[1].maxTokens", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LastRangeBounded_IsRejected()
    {
        var options = new RoutingOptions { Ranges = [new() { Name = "a", MaxTokens = 10, Pool = "p" }] };

        Assert.Contains(Errors(options), e => e.Contains("last range", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MiddleRangeUnbounded_IsRejected()
    {
        var options = new RoutingOptions { Ranges = [new() { Name = "a", Pool = "p" }, new() { Name = "b", Pool = "p" }] };

        Assert.Contains(Errors(options), e => e.Contains("maxTokens is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("X-Upper")]
    [InlineData(":path")]
    [InlineData("x-envoy-pool")]
    [InlineData("host")]
    [InlineData("")]
    public void Validate_UnownableHeaderName_IsRejected(string name)
    {
        var options = new RoutingOptions { Ranges = RoutingOptions.DefaultRanges(), Headers = new RoutingHeaderNames { Pool = name } };

        Assert.Contains(Errors(options), e => e.Contains("routing.headers", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DuplicateNamesAndBadPool_AreRejected()
    {
        var options = new RoutingOptions
        {
            Ranges = [new() { Name = "a", MaxTokens = 1, Pool = "p\r\n" }, new() { Name = "a", Pool = "p" }],
        };

        var errors = Errors(options);

        Assert.Contains(errors, e => e.Contains("unique", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("routing.ranges[0].pool", StringComparison.Ordinal));
    }
}
