using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers token counting.</summary>
internal static class TokenizationServiceCollectionExtensions
{
    /// <summary>Adds the tokenizer cache and the counting stage.</summary>
    public static IServiceCollection AddTokenization(this IServiceCollection services)
    {
        services.TryAddSingleton<TokenizerCache>();
        return services.AddRequestStage<CountStage>();
    }
}
