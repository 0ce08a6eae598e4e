using AiSidecar.ExtProc.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ext_proc protocol layer.</summary>
public static class ProtocolServiceCollectionExtensions
{
    /// <summary>Adds the ExternalProcessor service's dependencies and the <c>processing</c> options.</summary>
    public static IServiceCollection AddExtProcProtocol(this IServiceCollection services)
    {
        services.AddOptions<ProcessingOptions>()
            .BindConfiguration(ProcessingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProcessingServices>();
        return services;
    }
}
