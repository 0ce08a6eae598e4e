using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Registry;
using static AiSidecar.ExtProc.Tests.Routing.Registry.RegistryConfigs;

namespace AiSidecar.ExtProc.Tests.Routing.Registry;

public sealed class ModelRegistryTests
{
    private static ModelRegistry Compile(Action<ModelRegistryOptions>? change = null)
    {
        var options = Canary();
        change?.Invoke(options.Registry);
        Assert.Empty(ErrorsOf(options));
        return ModelRegistry.Compile(options.Registry)!;
    }

    private static RequestHeaderValues Headers(params (string Name, string Value)[] headers) =>
        new(headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)));

    private static VersionChoice Select(ModelRegistry registry, RequestHeaderValues headers, string? user = null)
    {
        Assert.True(registry.TrySelect(registry.Find("qwen3-8b")!, headers, user, out var choice, out var error), error?.Message);
        return choice;
    }

    [Theory]
    [InlineData("qwen3-8b")]
    [InlineData("qwen3")]
    [InlineData("gpt-4o")]
    public void Find_NameModelAliasOrAliasChain_ResolvesToTheModel(string name)
    {
        Assert.Equal("qwen3-8b", Compile().Find(name)!.Name);
    }

    [Fact]
    public void Find_UnknownNameWithoutDefault_IsNull()
    {
        Assert.Null(Compile().Find("llama"));
    }

    [Fact]
    public void Find_UnknownOrMissingNameWithDefault_IsTheDefault()
    {
        var registry = Compile(r => r.DefaultModel = "qwen3");

        Assert.Equal(("qwen3-8b", "qwen3-8b"), (registry.Find("llama")!.Name, registry.Find(null)!.Name));
    }

    [Fact]
    public void Registry_RegistryOff_CompilesToNull()
    {
        Assert.Null(ModelRegistry.Compile(new ModelRegistryOptions()));
    }

    [Fact]
    public void TrySelect_AllowedExperiment_PinsItsVersion()
    {
        var choice = Select(Compile(), Headers(("x-experiment", "qwen-fp8"), ("x-user-id", "alice")));

        Assert.Equal(("v2", VersionChoice.Experiment), (choice.Version.Name, choice.How));
    }

    [Fact]
    public void TrySelect_ExperimentNotInAllowList_Is400UnknownExperiment()
    {
        var registry = Compile();

        var ok = registry.TrySelect(registry.Find("qwen3")!, Headers(("x-experiment", "v2")), null, out _, out var error);

        Assert.False(ok);
        Assert.Equal((400, "unknown_experiment", "x-experiment"), (error!.Status, error.Kind, error.Param));
    }

    [Fact]
    public void TrySelect_SameUserTwice_SameVersionAndBucket()
    {
        var registry = Compile();

        var first = Select(registry, Headers(("x-user-id", "user-42")));
        var second = Select(Compile(), Headers(("x-user-id", "user-42")));

        Assert.Equal((first.Version.Name, first.Bucket), (second.Version.Name, second.Bucket));
        Assert.Equal(VersionChoice.Weighted, first.How);
    }

    [Fact]
    public void TrySelect_HeaderKeyBeforeUserField_HeaderWins()
    {
        var registry = Compile();

        var choice = Select(registry, Headers(("x-user-id", "header-key")), user: "field-key");

        Assert.Equal(StickyBuckets.Of("qwen3-8b", "header-key"), choice.Bucket);
    }

    [Fact]
    public void TrySelect_UserFieldWhenNoHeader_HashesTheField()
    {
        var choice = Select(Compile(), RequestHeaderValues.Empty, user: "field-key");

        Assert.Equal(StickyBuckets.Of("qwen3-8b", "field-key"), choice.Bucket);
    }

    [Fact]
    public void TrySelect_NoKey_GoesToThePrimaryVersion()
    {
        var choice = Select(Compile(), RequestHeaderValues.Empty);

        Assert.Equal(("v1", VersionChoice.Primary, (int?)null), (choice.Version.Name, choice.How, choice.Bucket));
    }

    [Fact]
    public void TrySelect_NoKeyWithRequestIdFallback_HashesTheRequestId()
    {
        var registry = Compile(r => r.Stickiness.NoKey = "requestId");

        var choice = Select(registry, Headers(("x-request-id", "7d0e")));

        Assert.Equal(StickyBuckets.Of("qwen3-8b", "7d0e"), choice.Bucket);
        Assert.Contains("x-request-id", registry.InputHeaders);
    }

    [Fact]
    public void TrySelect_NinetyTen_SplitsTenThousandUsersCloseToTheWeights()
    {
        var registry = Compile();

        var canary = Enumerable.Range(0, 10_000).Count(i => Select(registry, Headers(("x-user-id", $"user-{i}"))).Version.Name == "v2");

        Assert.InRange(canary, 900, 1100);
    }

    [Fact]
    public void TrySelect_CanaryRaisedFrom10To20_MovesOnlyUsersIntoTheCanary()
    {
        var before = ModelRegistry.Compile(Canary(90m, 10m).Registry)!;
        var after = ModelRegistry.Compile(Canary(80m, 20m).Registry)!;
        var moved = 0;

        for (var i = 0; i < 10_000; i++)
        {
            var headers = Headers(("x-user-id", $"user-{i}"));
            var was = Select(before, headers).Version.Name;
            var now = Select(after, headers).Version.Name;
            Assert.False(was == "v2" && now != "v2", $"user-{i} left the canary");
            moved += was != now ? 1 : 0;
        }

        Assert.InRange(moved, 900, 1100);
    }

    [Fact]
    public void Compile_Buckets_AreContiguousInConfigOrder()
    {
        var versions = Compile().Find("qwen3")!.Versions;

        Assert.Equal([(0, 9000), (9000, 10_000)], versions.Select(v => (v.BucketStart, v.BucketEnd)));
    }

    [Theory]
    [InlineData("chat", true)]
    [InlineData("completions", false)]
    [InlineData(null, false)]
    public void TryReadModelType_AcceptedValues_SayWhetherToConvert(string? value, bool chat)
    {
        var headers = value is null ? RequestHeaderValues.Empty : Headers(("x-model-type", value));

        Assert.True(Compile().TryReadModelType(headers, out var convert, out _));
        Assert.Equal(chat, convert);
    }

    [Fact]
    public void TryReadModelType_OtherValue_Is400InvalidHeader()
    {
        Assert.False(Compile().TryReadModelType(Headers(("x-model-type", "vision")), out _, out var error));
        Assert.Equal(("invalid_header", "x-model-type"), (error!.Kind, error.Param));
    }
}
