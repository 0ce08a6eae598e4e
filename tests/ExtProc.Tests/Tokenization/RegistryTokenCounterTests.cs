using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Tokenization;

/// <summary>The seam the pipeline calls: each request is counted with its model's tokenizer and template.</summary>
public sealed class RegistryTokenCounterTests
{
    private static ServiceProvider Provider() => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["tokenization:models:0:match:0"] = "Qwen/Qwen3-*",
            ["tokenization:models:0:file"] = GoldenFiles.ModelFile("qwen3"),
            ["tokenization:models:0:template"] = "chatml",
        }).Build())
        .AddLogging()
        .AddTokenization()
        .BuildServiceProvider();

    [Fact]
    public void CountPrompt_MappedModel_UsesItsTokenizerAndTemplate()
    {
        using var provider = Provider();
        var golden = GoldenFiles.Chat("chatml", "qwen3").Cases.Single(c => c.Id == "multi-turn");
        var body = golden.Body.Insert(1, "\"model\":\"Qwen/Qwen3-8B\",");
        var request = new RequestInspector().Inspect(ApiKind.ChatCompletions, Encoding.UTF8.GetBytes(body));

        Assert.Equal(golden.Count, provider.GetRequiredService<ITokenCounter>().CountPrompt(request));
    }

    [Fact]
    public void CountPrompt_UnmappedModel_UsesDefaultEncodingWithOpenAiOverhead()
    {
        using var provider = Provider();
        var golden = GoldenFiles.Chat("openai", "o200k_base").Cases.Single(c => c.Id == "multi-turn");
        var body = golden.Body.Insert(1, "\"model\":\"gpt-4o\",");
        var request = new RequestInspector().Inspect(ApiKind.ChatCompletions, Encoding.UTF8.GetBytes(body));

        Assert.Equal(golden.Count, provider.GetRequiredService<ITokenCounter>().CountPrompt(request));
    }

    [Fact]
    public void CountPrompt_ImagePart_AddsNonTextPartTokens()
    {
        using var provider = Provider();
        var request = new InferenceRequest
        {
            Kind = ApiKind.ChatCompletions,
            Model = "gpt-4o",
            Messages = [new ChatMessage("user", null, ["hi"], 1) { Content = "hi" }],
        };
        var textOnly = new InferenceRequest { Kind = ApiKind.ChatCompletions, Model = "gpt-4o", Messages = [new ChatMessage("user", null, ["hi"], 0) { Content = "hi" }] };
        var counter = provider.GetRequiredService<ITokenCounter>();

        Assert.Equal(counter.CountPrompt(textOnly) + 85, counter.CountPrompt(request));
    }
}
