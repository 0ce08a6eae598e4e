using AiSidecar.Configuration;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Budgets;
using AiSidecar.ExtProc.Caching;
using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Coalescing;
using AiSidecar.ExtProc.Responses;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Memory;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Configuration;

/// <summary>
/// Builds and checks the whole config: the one path the server takes at start, the <c>validate</c> command and every
/// reload. Unknown sections and keys, wrong types and wrong shapes are errors, in every section and in
/// <c>Logging</c>; then each section binds strictly and what binding cannot see is checked (ranges, the catalogue,
/// header names, limits that depend on each other). Every problem is one line:
/// <c>FILE:LINE:COL: key.path: message</c> (or the environment variable, or the command-line override, that set it).
/// </summary>
internal static class ConfigLoader
{
    /// <summary>The top-level sections; <c>config</c> is what <c>EXTPROC_CONFIG</c> leaves among the keys.</summary>
    private static readonly string[] Sections =
    [
        ServerOptions.SectionName, ProcessingOptions.SectionName, InspectionOptions.SectionName, TokenizationOptions.SectionName, RoutingOptions.SectionName,
        CatalogueOptions.SectionName, TelemetryOptions.SectionName, MemoryOptions.SectionName, AdmissionOptions.SectionName, CoalescingOptions.SectionName,
        ResponsesOptions.SectionName, RedisOptions.SectionName, BudgetOptions.SectionName, CacheOptions.SectionName, LoggingConfigChecker.SectionName, "config",
    ];

    /// <summary>Reads the config file (or the embedded default) and checks it.</summary>
    public static bool TryLoad(ConfigSources sources, out LoadedConfig? loaded, out IReadOnlyList<string> errors)
    {
        WatchedFile? file = null;
        byte[] content;
        if (sources.Path is { } path)
        {
            file = new WatchedFile(path);
            try
            {
                file.HasChanged(out content);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                loaded = null;
                errors = [$"{path}: cannot be read: {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message)}"];
                return false;
            }
        }
        else
        {
            content = ConfigFile.ReadDefault();
        }

        return TryLoad(sources, content, file, out loaded, out errors);
    }

    /// <summary>Checks <paramref name="content"/> as the config file's text, with the environment and overrides on top.</summary>
    public static bool TryLoad(ConfigSources sources, byte[] content, WatchedFile? file, out LoadedConfig? loaded, out IReadOnlyList<string> errors)
    {
        loaded = null;
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder()
                .AddPositionedYaml(content, sources.Label)
                .AddLocatedEnvironmentVariables(ConfigSources.EnvironmentPrefix)
                .AddCommandLine([.. sources.Overrides])
                .Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            errors = [ConfigurationFileException.Describe(ex)];
            return false;
        }

        var issues = new List<ConfigIssue>();
        ConfigShapeChecker.CheckSections(root, Sections, issues, MovedConfigKeys.All);
        LoggingConfigChecker.Check(root, issues);
        var server = StrictBinder.Bind<ServerOptions>(root, ServerOptions.SectionName, issues, MovedConfigKeys.All);
        var processing = StrictBinder.Bind<ProcessingOptions>(root, ProcessingOptions.SectionName, issues, MovedConfigKeys.All);
        var inspection = StrictBinder.Bind<InspectionOptions>(root, InspectionOptions.SectionName, issues, MovedConfigKeys.All);
        var tokenization = StrictBinder.Bind<TokenizationOptions>(root, TokenizationOptions.SectionName, issues, MovedConfigKeys.All);
        var routing = StrictBinder.Bind<RoutingOptions>(root, RoutingOptions.SectionName, issues, MovedConfigKeys.All);
        var catalogue = StrictBinder.Bind<CatalogueOptions>(root, CatalogueOptions.SectionName, issues, MovedConfigKeys.All);
        var telemetry = StrictBinder.Bind<TelemetryOptions>(root, TelemetryOptions.SectionName, issues, MovedConfigKeys.All);
        var memory = StrictBinder.Bind<MemoryOptions>(root, MemoryOptions.SectionName, issues, MovedConfigKeys.All);
        var admission = StrictBinder.Bind<AdmissionOptions>(root, AdmissionOptions.SectionName, issues, MovedConfigKeys.All);
        var coalescing = StrictBinder.Bind<CoalescingOptions>(root, CoalescingOptions.SectionName, issues, MovedConfigKeys.All);
        var responses = StrictBinder.Bind<ResponsesOptions>(root, ResponsesOptions.SectionName, issues, MovedConfigKeys.All);
        var redis = StrictBinder.Bind<RedisOptions>(root, RedisOptions.SectionName, issues, MovedConfigKeys.All);
        var budgets = StrictBinder.Bind<BudgetOptions>(root, BudgetOptions.SectionName, issues, MovedConfigKeys.All);
        var cache = StrictBinder.Bind<CacheOptions>(root, CacheOptions.SectionName, issues, MovedConfigKeys.All);

        // What binding cannot see, for each section that bound: values that depend on each other, header names, the catalogue.
        if (server is not null && processing is not null && processing.MaxBodyBytes + (64 << 10) > server.MaxReceiveMessageBytes)
        {
            issues.Add(new("processing.maxBodyBytes", $"{processing.MaxBodyBytes} must be at least 64 KiB below server.maxReceiveMessageBytes ({server.MaxReceiveMessageBytes}), so a whole body fits in one gRPC message."));
        }

        if (server is not null && server.DrainDelaySeconds > server.ShutdownTimeoutSeconds)
        {
            issues.Add(new("server.drainDelaySeconds", $"{server.DrainDelaySeconds} must not exceed server.shutdownTimeoutSeconds ({server.ShutdownTimeoutSeconds}): the delay is part of the shutdown."));
        }

        if (redis is { Endpoints.Count: > 0 } && processing is not null && (budgets?.Enabled == true || cache?.Enabled == true)
            && redis.OperationTimeoutMs >= processing.HoldBudget.TotalMilliseconds)
        {
            issues.Add(new("redis.operationTimeoutMs", $"{redis.OperationTimeoutMs} must be below 90 % of processing.messageTimeoutMs ({processing.HoldBudget.TotalMilliseconds:0} ms): a request waiting for Redis would reach its deadline (504) before Redis is given up on."));
        }

        if (memory is not null && processing is not null && memory.BodyBytesInFlight < processing.MaxBodyBytes)
        {
            issues.Add(new("memory.bodyBytesInFlight", $"{memory.BodyBytesInFlight} must be at least processing.maxBodyBytes ({processing.MaxBodyBytes}), or a body of that size could never be processed."));
        }

        if (routing is not null)
        {
            routing.ApplyDefaults();
            RoutingOptionsValidator.Validate(routing, issues);
        }

        // The headers the server owns (and strips): no section may read one as its input.
        var owned = new HashSet<string>((routing ?? new RoutingOptions()).Headers.All, StringComparer.Ordinal);

        if (catalogue is not null)
        {
            catalogue.ApplyDefaults();
            CatalogueValidator.Validate(catalogue, issues);
        }

        if (admission is not null)
        {
            PriorityOptionsValidator.Validate(admission.Priority, owned, issues);
            GpuAgentsOptionsValidator.Validate(admission.GpuAgents, issues);
            EngineOptionsValidator.ValidateScrape(admission.Scrape, $"{AdmissionOptions.SectionName}.scrape", issues);
        }

        if (coalescing is not null)
        {
            CoalescingOptionsValidator.Validate(coalescing, owned, issues);
        }

        if (responses is not null)
        {
            ResponsesOptionsValidator.Validate(responses, issues);
        }

        if (budgets is not null)
        {
            BudgetOptionsValidator.Validate(budgets, redis, responses, coalescing, owned, issues);
        }

        if (cache is not null)
        {
            var tenantHeaders = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [CoalescingOptions.SectionName] = coalescing?.TenantHeader ?? "",
                [BudgetOptions.SectionName] = budgets?.TenantHeader ?? "",
            };
            CacheOptionsValidator.Validate(cache, redis, tenantHeaders, owned, issues);
        }

        errors = ConfigIssueLocator.Format(root, issues);
        if (issues.Count > 0)
        {
            return false;
        }

        loaded = new LoadedConfig(sources, new ServerConfig(server!, processing!, inspection!, tokenization!, routing!, catalogue!, telemetry!, memory!, admission!, coalescing!, responses!, redis!, budgets!, cache!), root, file);
        return true;
    }
}
