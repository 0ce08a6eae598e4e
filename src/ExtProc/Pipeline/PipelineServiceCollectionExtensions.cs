using AiSidecar.ExtProc.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the exchange pipeline and its stages.</summary>
internal static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Adds every stage of the request and response paths and the pipeline that runs them in order: body budget →
    /// inspect → resolve → select → prioritize → rewrite → count → route → admission → usage, then the response
    /// metrics, the pool breakers and the usage read from the response. The order is each stage's
    /// <see cref="IRequestStage.Order"/> (<see cref="StageOrder"/>), not the order of registration.
    /// </summary>
    public static IServiceCollection AddExchangePipeline(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ExchangeServices>();
        services.TryAddSingleton<ExchangePipeline>();
        return services
            .AddBodyBudget()
            .AddAdmission()
            .AddRequestInspection()
            .AddModelCatalogue()
            .AddRequestRewrite()
            .AddTokenization()
            .AddPriorities()
            .AddRequestRouting()
            .AddPoolBreakers()
            .AddResponseUsage();
    }

    /// <summary>Adds a request stage (once); it runs at its <see cref="IRequestStage.Order"/>.</summary>
    public static IServiceCollection AddRequestStage<TStage>(this IServiceCollection services)
        where TStage : class, IRequestStage
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestStage, TStage>());
        return services;
    }

    /// <summary>Adds a response stage (once); it runs at its <see cref="IResponseStage.Order"/>.</summary>
    public static IServiceCollection AddResponseStage<TStage>(this IServiceCollection services)
        where TStage : class, IResponseStage
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResponseStage, TStage>());
        return services;
    }
}
