namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Temporary until the bridge lands.</summary>
internal static class PrometheusMeterBridgeStub
{
    public static IServiceCollection AddPrometheusMeterBridge(this IServiceCollection services, string meterName) => services;
}
