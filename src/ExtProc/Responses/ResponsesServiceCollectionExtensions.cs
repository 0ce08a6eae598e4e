using AiSidecar.ExtProc.Responses;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers reading usage from responses.</summary>
internal static class ResponsesServiceCollectionExtensions
{
    /// <summary>Adds the usage stages (request: what to read, include_usage injection; response: the body read) and the recorder.</summary>
    public static IServiceCollection AddResponseUsage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UsageRecorder>();
        return services.AddRequestStage<UsageRequestStage>().AddResponseStage<UsageResponseStage>();
    }
}
