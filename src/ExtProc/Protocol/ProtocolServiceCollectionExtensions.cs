using AiSidecar.ExtProc.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ext_proc protocol layer.</summary>
internal static class ProtocolServiceCollectionExtensions
{
    /// <summary>Adds what every stream of the ExternalProcessor service shares.</summary>
    public static IServiceCollection AddExtProcProtocol(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OpenStreams>();
        services.TryAddSingleton<ProcessingServices>();
        return services;
    }
}
