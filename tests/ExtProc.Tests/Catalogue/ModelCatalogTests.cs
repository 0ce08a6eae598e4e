using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Tests.Catalogue;

public sealed class ModelCatalogTests
{
    [Theory]
    [InlineData("qwen3-8b")]
    [InlineData("qwen3")]
    [InlineData("gpt-4o")]
    public void Find_NameModelAliasOrAliasChain_ResolvesToTheModel(string name)
    {
        using var kit = new CatalogueTestKit();

        Assert.Equal("qwen3-8b", kit.Catalog.Find(name)!.Name);
    }

    [Theory]
    [InlineData("llama")]
    [InlineData(null)]
    public void Find_UnknownOrMissingName_IsNull(string? name)
    {
        using var kit = new CatalogueTestKit();

        Assert.Null(kit.Catalog.Find(name));
    }

    [Fact]
    public void Compile_DefaultPolicy_HoldsTheDefaultModel()
    {
        var config = CatalogueConfigs.Canary();
        config.Catalogue.UnknownModels = UnknownModelPolicy.Default;
        config.Catalogue.DefaultModel = "gpt-4o";
        using var kit = new CatalogueTestKit(config);

        Assert.Equal("qwen3-8b", kit.Catalog.Default!.Name);
    }

    [Fact]
    public void Find_AliasPatterns_MatchAfterEveryExactNameInConfigOrder()
    {
        var config = ServerConfig.Defaults();
        config.Catalogue.Models =
        [
            new ModelOptions { Name = "qwen3-8b", Aliases = ["Qwen/Qwen3-8B*"] },
            new ModelOptions { Name = "qwen3-any", Aliases = ["Qwen/*", "Qwen/Qwen3-8B-exact"] },
        ];
        using var kit = new CatalogueTestKit(config);

        Assert.Equal("qwen3-8b", kit.Catalog.Find("Qwen/Qwen3-8B-Instruct")!.Name);
        Assert.Equal("qwen3-any", kit.Catalog.Find("Qwen/Qwen2.5-7B")!.Name);
        Assert.Equal("qwen3-any", kit.Catalog.Find("Qwen/Qwen3-8B-exact")!.Name);
        Assert.Null(kit.Catalog.Find("qwen/lowercase"));
    }

    [Fact]
    public void Compile_Buckets_AreContiguousInConfigOrder()
    {
        using var kit = new CatalogueTestKit();

        Assert.Equal([(0, 9000), (9000, 10_000)], kit.Catalog.Find("qwen3")!.Versions.Select(v => (v.BucketStart, v.BucketEnd)));
    }

    [Fact]
    public void Compile_Tokenizers_VersionOverridesTheModelAndSharesSlots()
    {
        var config = CatalogueConfigs.Canary();
        CatalogueConfigs.Qwen(config).Tokenizer = new TokenizerOptions { Encoding = TiktokenEncoding.Cl100kBase };
        CatalogueConfigs.Qwen(config).Versions[1].Tokenizer = new TokenizerOptions { Encoding = TiktokenEncoding.O200kBase };
        using var kit = new CatalogueTestKit(config);

        var qwen = kit.Catalog.Find("qwen3")!;
        Assert.Equal(("cl100k_base", "cl100k_base", "o200k_base"), (qwen.Tokenizer.Name, qwen.Versions[0].Tokenizer.Name, qwen.Versions[1].Tokenizer.Name));
        Assert.Same(kit.Catalog.DefaultTokenizer.Slot, qwen.Versions[1].Tokenizer.Slot);
        Assert.Same(kit.Catalog.DefaultTokenizer.Slot, kit.Catalog.Find("bge-m3")!.Tokenizer.Slot);
    }
}
