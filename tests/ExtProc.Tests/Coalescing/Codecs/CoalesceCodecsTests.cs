using AiSidecar.ExtProc.Coalescing.Codecs;
using AiSidecar.ExtProc.Inspection;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Coalescing.Codecs;

public sealed class CoalesceCodecsTests
{
    [Theory]
    [InlineData(nameof(ApiKind.Embeddings), typeof(EmbeddingsCodec))]
    [InlineData(nameof(ApiKind.Rerank), typeof(RerankCodec))]
    [InlineData(nameof(ApiKind.Completions), typeof(CompletionsCodec))]
    public void TryGet_CoalescibleApi_ItsCodec(string name, Type codec)
    {
        var api = Enum.Parse<ApiKind>(name);
        Assert.True(CoalesceCodecs.Default.TryGet(api, out var found));
        Assert.IsType(codec, found);
        Assert.Equal(api, found.Api);
    }

    [Theory]
    [InlineData(nameof(ApiKind.ChatCompletions))]
    [InlineData(nameof(ApiKind.Responses))]
    public void TryGet_OtherApi_False(string name)
    {
        Assert.False(CoalesceCodecs.Default.TryGet(Enum.Parse<ApiKind>(name), out _));
    }

    [Fact]
    public void AddCoalesceCodecs_Twice_OneLookupWithThreeSingletonCodecs()
    {
        using var provider = new ServiceCollection().AddCoalesceCodecs().AddCoalesceCodecs().BuildServiceProvider();

        var codecs = provider.GetRequiredService<CoalesceCodecs>();

        Assert.Same(codecs, provider.GetRequiredService<CoalesceCodecs>());
        Assert.Equal([ApiKind.Completions, ApiKind.Embeddings, ApiKind.Rerank], codecs.Apis.Order());
        Assert.Equal(3, provider.GetServices<ICoalesceCodec>().Count());
    }
}
