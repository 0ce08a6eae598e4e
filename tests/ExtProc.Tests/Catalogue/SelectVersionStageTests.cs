using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Catalogue;

public sealed class SelectVersionStageTests : IDisposable
{
    private readonly CatalogueTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task ProcessAsync_AllowedExperiment_PinsItsVersion()
    {
        var choice = await _kit.Choose("qwen3-8b", null, ("x-experiment", "qwen-fp8"), ("x-user-id", "alice"));

        Assert.Equal(("v2", VersionChoice.Experiment), (choice.Version.Name, choice.How));
    }

    [Fact]
    public async Task ProcessAsync_ExperimentNotInAllowList_IsIgnoredAndCounted()
    {
        var choice = await _kit.Choose("qwen3", null, ("x-experiment", "qwen-int4-ended"), ("x-user-id", "alice"));

        var unpinned = await _kit.Choose("qwen3", null, ("x-user-id", "alice"));
        Assert.Equal((unpinned.Version.Name, VersionChoice.Weighted, unpinned.Bucket), (choice.Version.Name, choice.How, choice.Bucket));
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(_kit.Services, "extproc_experiments_ignored_total{model=\"qwen3-8b\"}"));
    }

    [Fact]
    public async Task ProcessAsync_ExperimentRemovedFromConfig_RoutesAsWithoutTheHeader()
    {
        var ended = CatalogueConfigs.Canary();
        ended.Catalogue.Models[0].Experiments.Clear();
        using var after = new CatalogueTestKit(ended);

        var choice = await after.Choose("qwen3-8b", null, ("x-experiment", "qwen-fp8"));

        Assert.Equal(("v1", VersionChoice.Primary), (choice.Version.Name, choice.How));
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(after.Services, "extproc_experiments_ignored_total{model=\"qwen3-8b\"}"));
    }

    [Fact]
    public async Task ProcessAsync_EmptyExperimentHeader_IsNotCounted()
    {
        await _kit.Choose("qwen3-8b", null, ("x-experiment", ""));

        Assert.Equal(0, await ScrapedMetrics.ValueAsync(_kit.Services, "extproc_experiments_ignored_total{model=\"qwen3-8b\"}"));
    }

    [Fact]
    public async Task ProcessAsync_SameUserTwice_SameVersionAndBucket()
    {
        using var other = new CatalogueTestKit();

        var first = await _kit.Choose("qwen3-8b", null, ("x-user-id", "user-42"));
        var second = await other.Choose("qwen3-8b", null, ("x-user-id", "user-42"));

        Assert.Equal((first.Version.Name, first.Bucket), (second.Version.Name, second.Bucket));
        Assert.Equal(VersionChoice.Weighted, first.How);
    }

    [Fact]
    public async Task ProcessAsync_HeaderKeyBeforeUserField_HeaderWins()
    {
        Assert.Equal(StickyBuckets.Of("qwen3-8b", "header-key"), (await _kit.Choose("qwen3-8b", "field-key", ("x-user-id", "header-key"))).Bucket);
    }

    [Fact]
    public async Task ProcessAsync_UserFieldWhenNoHeader_HashesTheField()
    {
        Assert.Equal(StickyBuckets.Of("qwen3-8b", "field-key"), (await _kit.Choose("qwen3-8b", "field-key")).Bucket);
    }

    [Fact]
    public async Task ProcessAsync_NoKey_GoesToThePrimaryVersion()
    {
        var choice = await _kit.Choose("qwen3-8b", null);

        Assert.Equal(("v1", VersionChoice.Primary, (int?)null), (choice.Version.Name, choice.How, choice.Bucket));
    }

    [Fact]
    public async Task ProcessAsync_NoKeyWithRequestIdFallback_HashesTheRequestId()
    {
        var config = CatalogueConfigs.Canary();
        config.Routing.Stickiness.NoKey = NoKeyRule.RequestId;
        using var kit = new CatalogueTestKit(config);

        var choice = await kit.Choose("qwen3-8b", null, ("x-request-id", "7d0e"));

        Assert.Equal(StickyBuckets.Of("qwen3-8b", "7d0e"), choice.Bucket);
        Assert.Contains("x-request-id", kit.Table.CapturedHeaders);
    }

    [Fact]
    public async Task ProcessAsync_NinetyTen_SplitsTenThousandUsersCloseToTheWeights()
    {
        var canary = 0;
        for (var i = 0; i < 10_000; i++)
        {
            canary += (await _kit.Choose("qwen3-8b", null, ("x-user-id", $"user-{i}"))).Version.Name == "v2" ? 1 : 0;
        }

        Assert.InRange(canary, 900, 1100);
    }

    [Fact]
    public async Task ProcessAsync_CanaryRaisedFrom10To20_MovesOnlyUsersIntoTheCanary()
    {
        using var after = new CatalogueTestKit(CatalogueConfigs.Canary(80m, 20m));
        var moved = 0;

        for (var i = 0; i < 10_000; i++)
        {
            var header = ("x-user-id", $"user-{i}");
            var was = (await _kit.Choose("qwen3-8b", null, header)).Version.Name;
            var now = (await after.Choose("qwen3-8b", null, header)).Version.Name;
            Assert.False(was == "v2" && now != "v2", $"user-{i} left the canary");
            moved += was != now ? 1 : 0;
        }

        Assert.InRange(moved, 900, 1100);
    }

    [Fact]
    public async Task ProcessAsync_ModelWithoutVersions_ChoosesNothing()
    {
        var config = CatalogueConfigs.Canary();
        config.Catalogue.Models.Add(new ModelOptions { Name = "plain" });
        using var kit = new CatalogueTestKit(config);

        var (result, choice) = await kit.Select("plain", "someone", ("x-experiment", "anything"));

        Assert.True(result.IsContinue);
        Assert.Null(choice);
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(kit.Services, "extproc_experiments_ignored_total{model=\"plain\"}"));
    }
}
