using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers token counting.</summary>
public static class TokenizationServiceCollectionExtensions
{
    /// <summary>Adds the per-model tokenizer registry bound to the <c>tokenization</c> section.</summary>
    public static IServiceCollection AddTokenization(this IServiceCollection services)
    {
        services.AddOptions<TokenizationOptions>()
            .BindConfiguration(TokenizationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenizationOptions>, TokenizationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TokenizationMetrics(sp.GetService<ExtProcMetrics>()));
        services.TryAddSingleton<TokenizerRegistry>();
        services.TryAddSingleton<ITokenizerRegistry>(sp => sp.GetRequiredService<TokenizerRegistry>());
        services.TryAddSingleton<ITokenCounter, RegistryTokenCounter>();
        return services;
    }
}
