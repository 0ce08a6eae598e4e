using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tests.Tokenization;

public sealed class TokenizerRegistryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tokreg").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TokenizerRegistry Registry(TokenizationOptions options) =>
        new(Options.Create(options), new TokenizationMetrics(null), NullLogger<TokenizerRegistry>.Instance, TimeProvider.System);

    private static InferenceRequest Chat(string model, string text) => new()
    {
        Kind = ApiKind.ChatCompletions,
        Model = model,
        Messages = [new ChatMessage("user", null, [text], 0) { Content = text }],
    };

    private TokenizationOptions WithTinyModel(string file) => new()
    {
        Models =
        [
            new ModelTokenizerOptions { Match = ["tiny", "tiny-alias", "org/tiny-*"], File = file, Template = "chatml" },
            new ModelTokenizerOptions { Match = ["gpt-4*"], Encoding = "cl100k_base" },
        ],
    };

    [Theory]
    [InlineData("tiny", "chatml")]
    [InlineData("tiny-alias", "chatml")]
    [InlineData("org/tiny-7b", "chatml")]
    [InlineData("gpt-4-turbo", "openai")]
    [InlineData("unmapped", "openai")]
    [InlineData(null, "openai")]
    public void Resolve_NamesAliasesGlobs_MapToConfiguredFormat(string? model, string family)
    {
        using var registry = Registry(WithTinyModel(TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create("h e"))));

        Assert.Equal(family, registry.Resolve(model).Format.Family);
    }

    [Fact]
    public void Resolve_GlobEncoding_UsesThatEncoding()
    {
        using var registry = Registry(WithTinyModel(Path.Combine(_dir, "absent.json")));

        Assert.Equal("cl100k_base", registry.Resolve("gpt-4o").Tokenizer.Name);
        Assert.Equal("o200k_base", registry.Resolve("other").Tokenizer.Name);
    }

    [Fact]
    public void Resolve_MissingFile_FallsBackAndReportsFailure()
    {
        var missing = Path.Combine(_dir, "missing", "tokenizer.json");
        using var registry = Registry(WithTinyModel(missing));

        var counter = registry.Resolve("tiny");

        Assert.Equal("o200k_base", counter.Tokenizer.Name);
        var status = Assert.Single(registry.Describe(), s => s.Tokenizer == missing);
        Assert.Equal("failed", status.State);
        Assert.Contains(missing, status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RefuseOnLoadFailure_Throws()
    {
        var options = WithTinyModel(Path.Combine(_dir, "missing.json"));
        options.RefuseOnLoadFailure = true;
        using var registry = Registry(options);

        Assert.Throws<TokenizerUnavailableException>(() => registry.Resolve("tiny"));
    }

    [Fact]
    public void Resolve_TemplateTokensMissing_FallsBack()
    {
        var json = TinyTokenizerJson.Create("h e");
        json["added_tokens"] = new System.Text.Json.Nodes.JsonArray();
        using var registry = Registry(WithTinyModel(TinyTokenizerJson.Write(_dir, json)));

        Assert.Equal("o200k_base", registry.Resolve("tiny").Tokenizer.Name);
        Assert.Contains("<|im_start|>", registry.Describe().Single(s => s.State == "failed").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckForChanges_FileRewritten_ReloadsTokenizer()
    {
        var path = TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create());
        using var registry = Registry(WithTinyModel(path));
        var before = registry.Resolve("tiny").Count(Chat("tiny", "hehehe"));

        TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create("h e"));
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddMinutes(1));
        registry.CheckForChanges();

        // "hehehe" is 6 byte tokens before the merge exists and 3 after.
        Assert.Equal(before - 3, registry.Resolve("tiny").Count(Chat("tiny", "hehehe")));
    }

    [Fact]
    public void WarmUp_Eager_LoadsEveryTokenizer()
    {
        var options = WithTinyModel(TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create("h e")));
        options.Loading = TokenizerLoading.Eager;
        using var registry = Registry(options);

        registry.WarmUp();

        Assert.All(registry.Describe(), s => Assert.Equal("loaded", s.State));
    }

    [Fact]
    public void AddTokenization_InvalidModelEntry_FailsValidation()
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddTokenization();
        services.Configure<TokenizationOptions>(o => o.Models.Add(new ModelTokenizerOptions { Match = ["m"], Template = "chatml", Encoding = "o200k_base" }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TokenizationOptions>>().Value);

        Assert.Contains("needs a tokenizer.json", error.Message, StringComparison.Ordinal);
    }
}
