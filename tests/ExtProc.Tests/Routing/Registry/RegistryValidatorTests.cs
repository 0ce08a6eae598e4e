using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Registry;
using Microsoft.Extensions.Configuration;
using static AiSidecar.ExtProc.Tests.Routing.Registry.RegistryConfigs;

namespace AiSidecar.ExtProc.Tests.Routing.Registry;

public sealed class RegistryValidatorTests
{
    private static void AssertError(List<string> errors, string path, string detail)
    {
        Assert.True(
            errors.Any(e => e.StartsWith(path, StringComparison.Ordinal) && e.Contains(detail, StringComparison.Ordinal)),
            $"Expected an error at {path} containing '{detail}', got:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void Validate_ExampleRegistry_Succeeds()
    {
        Assert.Empty(ErrorsOf(Canary()));
    }

    [Fact]
    public void Validate_WeightsNotSummingTo100_NamesTheModelAndTheSum()
    {
        var errors = ErrorsOf(Canary(stable: 80m, canary: 10m));

        AssertError(errors, "routing.registry.models[0].versions:", "sum to 90 (80 + 10); they must sum to 100");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(10.125)]
    public void Validate_WeightOutOfRangeOrTooPrecise_NamesTheWeight(decimal weight)
    {
        var options = Canary();
        Qwen(options).Versions[1].Weight = weight;

        AssertError(ErrorsOf(options), "routing.registry.models[0].versions[1].weight", "percentage from 0 to 100");
    }

    [Fact]
    public void Validate_MissingWeightWithSeveralVersions_IsRequired()
    {
        var options = Canary();
        Qwen(options).Versions[1].Weight = null;

        AssertError(ErrorsOf(options), "routing.registry.models[0].versions[1].weight", "required");
    }

    [Fact]
    public void Validate_AliasesThatLoop_ShowTheLoop()
    {
        var options = Canary();
        options.Registry.Aliases = [new() { Name = "a", Target = "b" }, new() { Name = "b", Target = "c" }, new() { Name = "c", Target = "a" }];

        AssertError(ErrorsOf(options), "routing.registry.aliases[0].target", "aliases loop: a → b → c → a");
    }

    [Fact]
    public void Validate_AliasToNothing_NamesTheMissingTarget()
    {
        var options = Canary();
        options.Registry.Aliases = [new() { Name = "a", Target = "nowhere" }];

        AssertError(ErrorsOf(options), "routing.registry.aliases[0].target", "'nowhere'");
    }

    [Fact]
    public void Validate_VariantOnUndeclaredPool_NamesThePool()
    {
        var options = Canary();
        Qwen(options).Versions[1].Pool = "llm-missing";

        AssertError(ErrorsOf(options), "routing.registry.models[0].versions[1].pool", "'llm-missing' is not a pool declared");
    }

    [Fact]
    public void Validate_PoolNotServingTheModelsApi_NamesTheApi()
    {
        var options = Canary();
        options.Registry.Models[1].Versions[0].Pool = "llm-chat";

        AssertError(ErrorsOf(options), "routing.registry.models[1].versions[0].pool", "does not serve embeddings");
    }

    [Fact]
    public void Validate_NameUsedTwice_NamesBothPlaces()
    {
        var options = Canary();
        options.Registry.Models[1].Aliases = ["qwen3"];

        AssertError(ErrorsOf(options), "routing.registry.models[1].aliases[0]", "already used by routing.registry.models[0].aliases[0]");
    }

    [Fact]
    public void Validate_TwoStableVersions_AsksForDistinctVariants()
    {
        var options = Canary();
        Qwen(options).Versions[1].Canary = false;

        AssertError(ErrorsOf(options), "routing.registry.models[0].versions[1].variant", "'stable' is already the variant of version 'v1'");
    }

    [Fact]
    public void Validate_ExperimentOnUnknownVersion_NamesIt()
    {
        var options = Canary();
        Qwen(options).Experiments[0].Version = "v9";

        AssertError(ErrorsOf(options), "routing.registry.models[0].experiments[0].version", "'v9' is not a version of 'qwen3-8b'");
    }

    [Fact]
    public void Validate_UnknownApiName_ListsTheAllowedOnes()
    {
        var options = Canary();
        Qwen(options).Apis.Add("images");

        AssertError(ErrorsOf(options), "routing.registry.models[0].apis[3]", "use chat, completions");
    }

    [Fact]
    public void Validate_UnknownDefaultModel_IsRejected()
    {
        var options = Canary();
        options.Registry.DefaultModel = "nope";

        AssertError(ErrorsOf(options), "routing.registry.defaultModel", "'nope' is not a model or alias");
    }

    [Fact]
    public void Validate_LegacyModelListBesideRegistry_IsRejected()
    {
        var options = Canary();
        options.Models = ["qwen3-8b"];

        AssertError(ErrorsOf(options), "routing.models", "must be empty when routing.registry.models is set");
    }

    [Fact]
    public void Validate_StickyKeyWithHeaderAndField_AsksForOne()
    {
        var options = Canary();
        options.Registry.Stickiness.Keys = [new StickyKeyOptions { Header = "x-user-id", Field = "user" }];

        AssertError(ErrorsOf(options), "routing.registry.stickiness.keys[0]", "exactly one of header or field");
    }

    [Fact]
    public void Validate_ExperimentHeaderOwnedByServer_IsRejected()
    {
        var options = Canary();
        options.Registry.ExperimentHeader = "x-ai-variant";

        AssertError(ErrorsOf(options), "routing.registry.experimentHeader", "a header the server owns");
    }

    [Fact]
    public void Validate_ModelWithoutVersions_IsRejected()
    {
        var options = Canary();
        Qwen(options).Versions.Clear();

        AssertError(ErrorsOf(options), "routing.registry.models[0].versions", "at least one version");
    }

    [Fact]
    public void Validate_HealthCheckTimeoutOverInterval_IsRejected()
    {
        var options = Canary();
        Qwen(options).Versions[0].HealthCheck.TimeoutSeconds = 30;

        AssertError(ErrorsOf(options), "routing.registry.models[0].versions[0].healthCheck.timeoutSeconds", "from 1 to intervalSeconds");
    }

    [Theory]
    [InlineData("routing:registry:models:0:versions:0:wieght", "10", "routing.registry.models[0].versions[0].wieght: unknown key; expected one of name, pool, servedModel, weight")]
    [InlineData("routing:registry:models:0:versions:0:canary", "yes", "routing.registry.models[0].versions[0].canary: 'yes' is not a valid boolean")]
    [InlineData("routing:registry:models:0:versions:0:healthCheck", "on", "routing.registry.models[0].versions[0].healthCheck: expected a mapping")]
    public void Validate_RawKeysTheBinderWouldDrop_AreReportedWithTheirPath(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var errors = new RoutingOptionsValidator(configuration).Validate(null, Canary()).Failures ?? [];

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
