using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tests.Tokenization;

public sealed class TokenizerCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tokcache").FullName;
    private readonly ServiceProvider _metrics = new ServiceCollection().AddLogging().AddExtProcTelemetry(new TelemetryOptions()).BuildServiceProvider();

    public void Dispose()
    {
        _metrics.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private TokenizerCache Cache(TokenizationOptions? options = null) =>
        new(Options.Create(options ?? new TokenizationOptions()), _metrics.GetRequiredService<ExtProcMetrics>(), NullLogger<TokenizerCache>.Instance);

    private static TokenizerOptions Tiny(string file) => new() { File = file, Template = ChatTemplate.ChatMl };

    private static InferenceRequest Chat(string text) => new()
    {
        Kind = ApiKind.ChatCompletions,
        Messages = [new ChatMessage("user", null, [text], 0) { Content = text }],
    };

    [Fact]
    public void For_SameSourceTwice_SharesOneSlot()
    {
        var cache = Cache();
        var file = TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create("h e"));

        Assert.Same(cache.For(Tiny(file)).Slot, cache.For(Tiny(file)).Slot);
        Assert.Same(cache.Default.Slot, cache.For(new TokenizerOptions { Encoding = TiktokenEncoding.O200kBase }).Slot);
        Assert.NotSame(cache.For(Tiny(file)).Slot, cache.For(new TokenizerOptions { File = file }).Slot);
    }

    [Fact]
    public void Resolve_FileWithItsTemplate_CountsWithBoth()
    {
        var file = TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create("h e"));

        var counter = Cache().For(Tiny(file)).Resolve();

        Assert.Equal(("chatml", file), (counter.Format.Family, counter.Tokenizer.Name));
    }

    [Fact]
    public void Resolve_EncodingOnly_UsesThatEncodingWithOpenAiOverhead()
    {
        var counter = Cache().For(new TokenizerOptions { Encoding = TiktokenEncoding.Cl100kBase }).Resolve();

        Assert.Equal(("cl100k_base", "openai"), (counter.Tokenizer.Name, counter.Format.Family));
    }

    [Fact]
    public void Resolve_MissingFile_FallsBackAndReportsFailure()
    {
        var missing = Path.Combine(_dir, "missing", "tokenizer.json");
        var cache = Cache();

        var counter = cache.For(Tiny(missing)).Resolve();

        Assert.Equal("o200k_base", counter.Tokenizer.Name);
        var status = Assert.Single(cache.Describe(), s => s.Tokenizer == missing);
        Assert.Equal("failed", status.State);
        Assert.Contains(missing, status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RefuseOnLoadFailure_Throws()
    {
        var cache = Cache(new TokenizationOptions { RefuseOnLoadFailure = true });

        Assert.Throws<TokenizerUnavailableException>(() => cache.For(Tiny(Path.Combine(_dir, "missing.json"))).Resolve());
    }

    [Fact]
    public void Resolve_TemplateTokensMissing_FallsBack()
    {
        var json = TinyTokenizerJson.Create("h e");
        json["added_tokens"] = new System.Text.Json.Nodes.JsonArray();
        var cache = Cache();

        Assert.Equal("o200k_base", cache.For(Tiny(TinyTokenizerJson.Write(_dir, json))).Resolve().Tokenizer.Name);
        Assert.Contains("<|im_start|>", cache.Describe().Single(s => s.State == "failed").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckForChanges_FileRewritten_ReloadsTokenizer()
    {
        var path = TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create());
        var cache = Cache();
        var handle = cache.For(Tiny(path));
        var before = handle.Resolve().Count(Chat("hehehe")).Tokens;

        TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create("h e"));
        cache.CheckForChanges();

        // "hehehe" is 6 byte tokens before the merge exists and 3 after.
        Assert.Equal(before - 3, handle.Resolve().Count(Chat("hehehe")).Tokens);
    }

    [Fact]
    public void CheckForChanges_FileUnchanged_KeepsTheLoadedTokenizer()
    {
        var cache = Cache();
        var handle = cache.For(Tiny(TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create("h e"))));
        var before = handle.Resolve().Tokenizer;

        cache.CheckForChanges();

        Assert.Same(before, handle.Resolve().Tokenizer);
    }

    [Fact]
    public void WarmUp_Eager_LoadsEveryTokenizer()
    {
        var cache = Cache(new TokenizationOptions { Loading = TokenizerLoading.Eager });
        cache.For(Tiny(TinyTokenizerJson.Write(_dir, TinyTokenizerJson.Create("h e"))));

        cache.WarmUp();

        Assert.All(cache.Describe(), s => Assert.Equal("loaded", s.State));
    }

    [Fact]
    public void Retain_SlotNoLongerUsed_IsDropped()
    {
        var cache = Cache();
        var kept = cache.For(new TokenizerOptions { Encoding = TiktokenEncoding.Cl100kBase });
        cache.For(Tiny(Path.Combine(_dir, "gone.json")));

        cache.Retain([kept]);

        Assert.Equal(["o200k_base", "cl100k_base"], cache.Describe().Select(s => s.Tokenizer).Order().Reverse());
    }

    [Fact]
    public void Resolve_ImagePart_AddsNonTextPartTokens()
    {
        var counter = Cache().Default.Resolve();
        var withImage = new InferenceRequest { Kind = ApiKind.ChatCompletions, Messages = [new ChatMessage("user", null, ["hi"], 1) { Content = "hi" }] };

        Assert.Equal(counter.Count(Chat("hi")).Tokens + 85, counter.Count(withImage).Tokens);
    }

    [Fact]
    public async Task Catalogue_QwenFileWithChatMl_CountsTheGoldenExactly()
    {
        var config = TestConfigsFor(GoldenFiles.ModelFile("qwen3"));
        using var harness = new PipelineHarness(config);
        var golden = GoldenFiles.Chat("chatml", "qwen3").Cases.Single(c => c.Id == "multi-turn");

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", golden.Body.Insert(1, "\"model\":\"Qwen/Qwen3-8B\","));

        Assert.Equal(golden.Count, run.Decision!.PromptTokens);
    }

    private static ServerConfig TestConfigsFor(string qwenFile)
    {
        var config = ServerConfig.Defaults();
        config.Catalogue.Models = [new ModelOptions { Name = "qwen3-8b", Aliases = ["Qwen/Qwen3-*"], Tokenizer = Tiny(qwenFile) }];
        return config;
    }
}
