using AiSidecar.ExtProc.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the inference pipeline and the features it runs.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>Adds inspection, token counting, routing and the pipeline joining them.</summary>
    public static IServiceCollection AddInferencePipeline(this IServiceCollection services)
    {
        services.AddRequestInspection();
        services.AddTokenization();
        services.AddTokenRangeRouting();
        services.TryAddSingleton<IInferencePipeline, InferencePipeline>();
        return services;
    }
}
