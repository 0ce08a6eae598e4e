using System.Globalization;
using System.Text.Json;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>x-ai-prompt-tokens against counts computed independently of the server.</summary>
public sealed class TokenCountTests
{
    private static async Task<int> PromptTokensAsync(string path, string body)
    {
        await using var server = await TestExtProcServer.StartAsync();
        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post(path, body)));
        return int.Parse(result.Forwarded!.Headers["x-ai-prompt-tokens"]!, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Process_MultiMessageChat_AddsPerMessageAndReplyOverhead()
    {
        (string Role, string Content)[] messages =
        [
            ("system", "You are a terse assistant."),
            ("user", "What is the capital of France?"),
            ("assistant", "Paris."),
            ("user", "And of Italy?"),
        ];
        var body = JsonSerializer.Serialize(new { model = "gpt-4o", messages = messages.Select(m => new { role = m.Role, content = m.Content }) });

        var tokens = await PromptTokensAsync("/v1/chat/completions", body);

        Assert.Equal(ExpectedTokens.Chat(messages), tokens);
    }

    [Fact]
    public async Task Process_ChatMessageWithName_AddsOneTokenPlusName()
    {
        var body = JsonSerializer.Serialize(new { model = "gpt-4o", messages = new[] { new { role = "user", content = "hi", name = "alice" } } });

        var tokens = await PromptTokensAsync("/v1/chat/completions", body);

        Assert.Equal(ExpectedTokens.Chat(("user", "hi")) + 1 + ExpectedTokens.Text("alice"), tokens);
    }

    [Fact]
    public async Task Process_EmbeddingsInputArray_SumsEveryInput()
    {
        var body = JsonSerializer.Serialize(new { model = "text-embedding-3-small", input = new[] { "first text", "second, longer text" } });

        var tokens = await PromptTokensAsync("/v1/embeddings", body);

        Assert.Equal(ExpectedTokens.Text("first text") + ExpectedTokens.Text("second, longer text"), tokens);
    }

    [Fact]
    public async Task Process_CompletionWithTokenIds_CountsTheIds()
    {
        var body = JsonSerializer.Serialize(new { model = "gpt-4o", prompt = new[] { 1, 2, 3, 4 } });

        var tokens = await PromptTokensAsync("/v1/completions", body);

        Assert.Equal(4, tokens);
    }
}
