using AiSidecar.ExtProc.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a loaded (already validated) config and the decision path over it.</summary>
internal static class ConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="loaded"/> and each of its sections as options, then everything that decides a
    /// request: the stages, the pipeline, the protocol layer, metrics. What the server, the commands and the
    /// benchmarks share.
    /// </summary>
    public static IServiceCollection AddExtProcCore(this IServiceCollection services, LoadedConfig loaded)
    {
        var config = loaded.Config;
        services.AddSingleton(loaded);
        services.AddSingleton(config);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Server));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Processing));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Inspection));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Tokenization));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Routing));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Catalogue));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Telemetry));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Memory));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Admission));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Coalescing));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Responses));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Redis));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Budgets));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(config.Cache));
        return services
            .AddExtProcTelemetry(config.Telemetry)
            .AddExchangePipeline()
            .AddExtProcProtocol();
    }

    /// <summary>Adds the reloader of the config file and the tokenizer files (the server only).</summary>
    public static IServiceCollection AddConfigReload(this IServiceCollection services)
    {
        services.AddSingleton<ConfigReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<ConfigReloader>());
        return services;
    }
}
