using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>The server's own DI registrations over an in-memory configuration equal to the embedded defaults.</summary>
internal static class PipelineProvider
{
    public static ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["tokenization:encoding"] = "o200k_base",
                ["processing:assumedRequestBodyMode"] = "BUFFERED",
                ["processing:assumedResponseBodyMode"] = "NONE",
                ["routing:ranges:0:name"] = "small",
                ["routing:ranges:0:maxTokens"] = "1000",
                ["routing:ranges:0:pool"] = "llm-small",
                ["routing:ranges:1:name"] = "medium",
                ["routing:ranges:1:maxTokens"] = "8000",
                ["routing:ranges:1:pool"] = "llm-medium",
                ["routing:ranges:2:name"] = "large",
                ["routing:ranges:2:pool"] = "llm-large",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddInferencePipeline();
        services.AddExtProcProtocol();
        services.AddExtProcTelemetry(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
