using AiSidecar.ExtProc.Inspection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers request inspection.</summary>
internal static class InspectionServiceCollectionExtensions
{
    /// <summary>Adds the OpenAI-compatible request inspector and its stage.</summary>
    public static IServiceCollection AddRequestInspection(this IServiceCollection services)
    {
        services.TryAddSingleton<IRequestInspector, RequestInspector>();
        return services.AddRequestStage<InspectStage>();
    }
}
