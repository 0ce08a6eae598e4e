using AiSidecar.ExtProc.Coalescing.Codecs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the coalescing codecs.</summary>
internal static class CoalesceCodecsServiceCollectionExtensions
{
    /// <summary>Adds the embeddings, rerank and completions codecs (singletons) and their <see cref="CoalesceCodecs"/> lookup.</summary>
    public static IServiceCollection AddCoalesceCodecs(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICoalesceCodec, EmbeddingsCodec>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICoalesceCodec, RerankCodec>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICoalesceCodec, CompletionsCodec>());
        services.TryAddSingleton<CoalesceCodecs>();
        return services;
    }
}
