using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Budgets;
using AiSidecar.ExtProc.Caching;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Coalescing;
using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Memory;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Responses;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Configuration;

/// <summary>The whole config, every section bound strictly and validated: what the server starts (or reloads) with.</summary>
internal sealed record ServerConfig(
    ServerOptions Server,
    ProcessingOptions Processing,
    InspectionOptions Inspection,
    TokenizationOptions Tokenization,
    RoutingOptions Routing,
    CatalogueOptions Catalogue,
    TelemetryOptions Telemetry,
    MemoryOptions Memory,
    AdmissionOptions Admission,
    CoalescingOptions Coalescing,
    ResponsesOptions Responses,
    RedisOptions Redis,
    BudgetOptions Budgets,
    CacheOptions Cache)
{
    /// <summary>The built-in defaults, as the embedded default config states them.</summary>
    public static ServerConfig Defaults()
    {
        var config = new ServerConfig(new(), new(), new(), new(), new(), new(), new(), new(), new(), new(), new(), new(), new(), new());
        config.ApplyDefaults();
        return config;
    }

    /// <summary>Fills what a config file leaves out of lists (bound lists replace the defaults whole).</summary>
    public void ApplyDefaults()
    {
        Routing.ApplyDefaults();
        Catalogue.ApplyDefaults();
    }
}
