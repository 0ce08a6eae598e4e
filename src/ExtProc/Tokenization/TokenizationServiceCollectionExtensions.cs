using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers token counting.</summary>
public static class TokenizationServiceCollectionExtensions
{
    /// <summary>Adds the tiktoken counter bound to the <c>tokenization</c> section.</summary>
    public static IServiceCollection AddTokenization(this IServiceCollection services)
    {
        services.AddOptions<TokenizationOptions>()
            .BindConfiguration(TokenizationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<ITokenCounter, TiktokenTokenCounter>();
        return services;
    }
}
