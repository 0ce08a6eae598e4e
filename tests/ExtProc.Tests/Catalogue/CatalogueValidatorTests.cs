using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;
using static AiSidecar.ExtProc.Tests.Catalogue.CatalogueConfigs;
using static AiSidecar.ExtProc.Tests.Infrastructure.TestConfigs;

namespace AiSidecar.ExtProc.Tests.Catalogue;

public sealed class CatalogueValidatorTests
{
    [Fact]
    public void Validate_ExampleCatalogue_Succeeds()
    {
        Assert.Empty(ErrorsOf(Canary()));
    }

    [Fact]
    public void Validate_WeightsNotSummingTo100_NamesTheModelAndTheSum()
    {
        var errors = ErrorsOf(Canary(stable: 80m, canary: 10m));

        AssertError(errors, "catalogue.models[0].versions:", "sum to 90 (80 + 10); they must sum to 100");
    }

    [Fact]
    public void Validate_OverflowPools_EachMustBeDeclaredServeTheModelAndBeNew()
    {
        var config = Canary();
        Qwen(config).Overflow =
        [
            new() { Pool = "nowhere" },
            new() { Pool = "llm-embed" },
            new() { Pool = "llm-chat" },
            new() { Pool = "llm-embed", ServedModel = " bad" },
        ];

        var errors = ErrorsOf(config);

        AssertError(errors, "catalogue.models[0].overflow[0].pool", "'nowhere' is not a pool declared in catalogue.pools");
        AssertError(errors, "catalogue.models[0].overflow[1].pool", "pool 'llm-embed' does not serve chat");
        AssertError(errors, "catalogue.models[0].overflow[2].pool", "'llm-chat' runs a version of 'qwen3-8b' already");
        AssertError(errors, "catalogue.models[0].overflow[3].pool", "'llm-embed' is listed twice");
        Assert.Contains(errors, e => e.Contains("catalogue.models[0].overflow[3].servedModel", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OverflowToAnotherPoolServingTheModel_Succeeds()
    {
        var config = Canary();
        config.Catalogue.Pools.Add(new() { Name = "llm-chat-spare" });
        Qwen(config).Overflow = [new() { Pool = "llm-chat-spare", ServedModel = "Qwen/Qwen3-8B-AWQ" }];

        Assert.Empty(ErrorsOf(config));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(10.125)]
    public void Validate_WeightOutOfRangeOrTooPrecise_NamesTheWeight(decimal weight)
    {
        var options = Canary();
        Qwen(options).Versions[1].Weight = weight;

        AssertError(ErrorsOf(options), "catalogue.models[0].versions[1].weight", "percentage from 0 to 100");
    }

    [Fact]
    public void Validate_MissingWeightWithSeveralVersions_IsRequired()
    {
        var options = Canary();
        Qwen(options).Versions[1].Weight = null;

        AssertError(ErrorsOf(options), "catalogue.models[0].versions[1].weight", "required");
    }

    [Fact]
    public void Validate_AliasesThatLoop_ShowTheLoop()
    {
        var options = Canary();
        options.Catalogue.Aliases = [new() { Name = "a", Target = "b" }, new() { Name = "b", Target = "c" }, new() { Name = "c", Target = "a" }];

        AssertError(ErrorsOf(options), "catalogue.aliases[0].target", "aliases loop: a → b → c → a");
    }

    [Fact]
    public void Validate_AliasToNothing_NamesTheMissingTarget()
    {
        var options = Canary();
        options.Catalogue.Aliases = [new() { Name = "a", Target = "nowhere" }];

        AssertError(ErrorsOf(options), "catalogue.aliases[0].target", "'nowhere'");
    }

    [Fact]
    public void Validate_VariantOnUndeclaredPool_NamesThePool()
    {
        var options = Canary();
        Qwen(options).Versions[1].Pool = "llm-missing";

        AssertError(ErrorsOf(options), "catalogue.models[0].versions[1].pool", "'llm-missing' is not a pool declared");
    }

    [Fact]
    public void Validate_PoolNotServingTheModelsApi_NamesTheApi()
    {
        var options = Canary();
        options.Catalogue.Models[1].Versions[0].Pool = "llm-chat";

        AssertError(ErrorsOf(options), "catalogue.models[1].versions[0].pool", "does not serve embeddings");
    }

    [Fact]
    public void Validate_NameUsedTwice_NamesBothPlaces()
    {
        var options = Canary();
        options.Catalogue.Models[1].Aliases = ["qwen3"];

        AssertError(ErrorsOf(options), "catalogue.models[1].aliases[0]", "already used by catalogue.models[0].aliases[0]");
    }

    [Fact]
    public void Validate_TwoStableVersions_AsksForDistinctVariants()
    {
        var options = Canary();
        Qwen(options).Versions[1].Canary = false;

        AssertError(ErrorsOf(options), "catalogue.models[0].versions[1].variant", "'stable' is already the variant of version 'v1'");
    }

    [Fact]
    public void Validate_ExperimentOnUnknownVersion_NamesIt()
    {
        var options = Canary();
        Qwen(options).Experiments[0].Version = "v9";

        AssertError(ErrorsOf(options), "catalogue.models[0].experiments[0].version", "'v9' is not a version of 'qwen3-8b'");
    }

    [Fact]
    public void Validate_UnknownDefaultModel_IsRejected()
    {
        var options = Canary();
        options.Catalogue.UnknownModels = UnknownModelPolicy.Default;
        options.Catalogue.DefaultModel = "nope";

        AssertError(ErrorsOf(options), "catalogue.defaultModel", "'nope' is not a model or alias");
    }

    [Fact]
    public void Validate_DefaultModelWithoutTheDefaultPolicy_IsRejected()
    {
        var options = Canary();
        options.Catalogue.DefaultModel = "qwen3";

        AssertError(ErrorsOf(options), "catalogue.defaultModel", "only with unknownModels: default");
    }

    [Fact]
    public void Validate_DefaultPolicyWithoutDefaultModel_IsRejected()
    {
        var options = Canary();
        options.Catalogue.UnknownModels = UnknownModelPolicy.Default;

        AssertError(ErrorsOf(options), "catalogue.defaultModel", "required with unknownModels: default");
    }

    [Fact]
    public void Validate_ExperimentsOnAModelWithoutVersions_AreRejected()
    {
        var options = Canary();
        Qwen(options).Versions.Clear();

        AssertError(ErrorsOf(options), "catalogue.models[0].experiments", "a model without versions has none to pin");
    }

    [Fact]
    public void Validate_TokenizerWithEncodingAndFile_AsksForOne()
    {
        var options = Canary();
        Qwen(options).Versions[1].Tokenizer = new() { Encoding = TiktokenEncoding.O200kBase, File = "tokenizer.json" };

        AssertError(ErrorsOf(options), "catalogue.models[0].versions[1].tokenizer", "exactly one of encoding and file");
    }

    [Fact]
    public void Validate_TemplateNeedingAFileOnAnEncoding_IsRejected()
    {
        var options = Canary();
        Qwen(options).Tokenizer = new() { Encoding = TiktokenEncoding.O200kBase, Template = ChatTemplate.ChatMl };

        AssertError(ErrorsOf(options), "catalogue.models[0].tokenizer.template", "chatml needs a tokenizer.json file");
    }

    [Fact]
    public void Validate_PatternAsTheModelName_IsRejected()
    {
        var options = Canary();
        Qwen(options).Name = "qwen*";

        AssertError(ErrorsOf(options), "catalogue.models[0].name", "put patterns (with * or ?) in aliases");
    }

    [Theory]
    [InlineData("qwen\u200b3", false)]
    [InlineData("qwen3\u2028", false)]
    [InlineData(" qwen3", false)]
    [InlineData("qwen3-\u00e9t\u00e9", true)]
    public void Validate_ModelName_FollowsTheRequestsModelNameRule(string name, bool valid)
    {
        var options = Canary();
        Qwen(options).Name = name;
        options.Catalogue.Aliases[0].Target = name;

        var errors = ErrorsOf(options);

        Assert.Equal(valid, !errors.Any(e => e.StartsWith("catalogue.models[0].name", StringComparison.Ordinal)));
        Assert.Equal(valid, ModelNameSyntax.IsValid(name));
    }

    [Fact]
    public void Validate_DescendingRangeBounds_NamesTheRange()
    {
        var options = Canary();
        options.Catalogue.Ranges = [new() { Name = "a", MaxTokens = 10, Pool = "p" }, new() { Name = "b", MaxTokens = 5, Pool = "p" }, new() { Name = "c", Pool = "p" }];

        AssertError(ErrorsOf(options), "catalogue.ranges[1].maxTokens", "must be greater than the previous range's (10)");
    }

    [Fact]
    public void Validate_LastRangeBounded_IsRejected()
    {
        var options = Canary();
        options.Catalogue.Ranges = [new() { Name = "a", MaxTokens = 10, Pool = "p" }];

        AssertError(ErrorsOf(options), "catalogue.ranges[0].maxTokens", "the last range takes every larger prompt");
    }

    [Fact]
    public void Validate_MiddleRangeUnbounded_IsRejected()
    {
        var options = Canary();
        options.Catalogue.Ranges = [new() { Name = "a", Pool = "p" }, new() { Name = "b", Pool = "p" }];

        AssertError(ErrorsOf(options), "catalogue.ranges[0].maxTokens", "is required on every range but the last");
    }

    [Fact]
    public void Validate_DuplicateRangeNamesAndBadPool_AreRejected()
    {
        var options = Canary();
        options.Catalogue.Ranges = [new() { Name = "a", MaxTokens = 1, Pool = "p\r\n" }, new() { Name = "a", Pool = "p" }];

        var errors = ErrorsOf(options);

        AssertError(errors, "catalogue.ranges[1].name", "range names must be unique");
        AssertError(errors, "catalogue.ranges[0].pool", "header-safe");
    }
}
