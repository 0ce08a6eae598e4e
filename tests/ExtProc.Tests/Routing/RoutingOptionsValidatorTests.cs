using AiSidecar.ExtProc.Routing;
using static AiSidecar.ExtProc.Tests.Catalogue.CatalogueConfigs;
using static AiSidecar.ExtProc.Tests.Infrastructure.TestConfigs;

namespace AiSidecar.ExtProc.Tests.Routing;

public sealed class RoutingOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.Empty(ErrorsOf(AiSidecar.ExtProc.Configuration.ServerConfig.Defaults()));
    }

    [Theory]
    [InlineData("X-Upper")]
    [InlineData(":path")]
    [InlineData("x-envoy-pool")]
    [InlineData("host")]
    [InlineData("")]
    public void Validate_UnownableHeaderName_IsRejected(string name)
    {
        var options = Canary();
        options.Routing.Headers.Pool = name;

        AssertError(ErrorsOf(options), "routing.headers.pool", "must be a lower-case header name");
    }

    [Fact]
    public void Validate_TwoOwnedHeadersWithOneName_AreRejected()
    {
        var options = Canary();
        options.Routing.Headers.Variant = "x-ai-pool";

        AssertError(ErrorsOf(options), "routing.headers.variant", "names another owned header too");
    }

    [Fact]
    public void Validate_ExactnessHeaderNamedLikeTheCount_IsRejected()
    {
        var options = Canary();
        options.Routing.Headers.PromptTokensExact = "x-ai-prompt-tokens";

        AssertError(ErrorsOf(options), "routing.headers.promptTokensExact", "names another owned header too");
    }

    [Fact]
    public void Validate_StickyKeyWithHeaderAndField_AsksForOne()
    {
        var options = Canary();
        options.Routing.Stickiness.Keys = [new StickyKeyOptions { Header = "x-user-id", Field = StickyKeyField.User }];

        AssertError(ErrorsOf(options), "routing.stickiness.keys[0]", "exactly one of header and field");
    }

    [Fact]
    public void Validate_ExperimentHeaderOwnedByServer_IsRejected()
    {
        var options = Canary();
        options.Routing.ExperimentHeader = "x-ai-variant";

        AssertError(ErrorsOf(options), "routing.experimentHeader", "a header the server owns");
    }
}
