using AiSidecar.ExtProc.Admission.Priority;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers priority classes.</summary>
internal static class PriorityServiceCollectionExtensions
{
    /// <summary>Adds the stage that classes each request (<c>admission.priority</c>; the resolver travels in the routing table).</summary>
    public static IServiceCollection AddPriorities(this IServiceCollection services) => services.AddRequestStage<PriorityStage>();
}
