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

    /// <summary>Keys that have moved (or gone): named with their new place instead of reported as unknown.</summary>
    private static readonly Dictionary<string, string> MovedKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["routing.registry"] = "moved: the models are in catalogue.models (with their versions, aliases and tokenizer), pools in catalogue.pools, aliases in catalogue.aliases, defaultModel in catalogue.defaultModel (with catalogue.unknownModels: default); modelTypeHeader, experimentHeader and stickiness are directly under routing.",
        ["routing.models"] = "moved: list each model as catalogue.models[].name, and set catalogue.unknownModels: reject to refuse the others.",
        ["routing.ranges"] = "moved to catalogue.ranges.",
        ["routing.reloadCheckSeconds"] = "moved to server.reloadCheckSeconds (one setting for the config file and the tokenizer files).",
        ["tokenization.models"] = "moved: give each model its tokenizer in catalogue.models[].tokenizer ({ encoding | file, template }), and a version its own in catalogue.models[].versions[].tokenizer.",
        ["tokenization.reloadCheckSeconds"] = "moved to server.reloadCheckSeconds (one setting for the config file and the tokenizer files).",
        ["tokenization.defaultTemplate"] = "removed: the default encoding always counts with OpenAI's chat overhead; chat templates belong to catalogue models (catalogue.models[].tokenizer.template).",
        ["catalogue.models[*].versions[*].healthCheck"] = "removed: the data plane checks backends (the DestinationRule's outlier detection, Kubernetes probes); the server never read these settings.",
    };

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
        ConfigShapeChecker.CheckSections(root, Sections, issues, MovedKeys);
        LoggingConfigChecker.Check(root, issues);
        var server = StrictBinder.Bind<ServerOptions>(root, ServerOptions.SectionName, issues, MovedKeys);
        var processing = StrictBinder.Bind<ProcessingOptions>(root, ProcessingOptions.SectionName, issues, MovedKeys);
        var inspection = StrictBinder.Bind<InspectionOptions>(root, InspectionOptions.SectionName, issues, MovedKeys);
        var tokenization = StrictBinder.Bind<TokenizationOptions>(root, TokenizationOptions.SectionName, issues, MovedKeys);
        var routing = StrictBinder.Bind<RoutingOptions>(root, RoutingOptions.SectionName, issues, MovedKeys);
        var catalogue = StrictBinder.Bind<CatalogueOptions>(root, CatalogueOptions.SectionName, issues, MovedKeys);
        var telemetry = StrictBinder.Bind<TelemetryOptions>(root, TelemetryOptions.SectionName, issues, MovedKeys);
        var memory = StrictBinder.Bind<MemoryOptions>(root, MemoryOptions.SectionName, issues, MovedKeys);
        var admission = StrictBinder.Bind<AdmissionOptions>(root, AdmissionOptions.SectionName, issues, MovedKeys);
        var coalescing = StrictBinder.Bind<CoalescingOptions>(root, CoalescingOptions.SectionName, issues, MovedKeys);
        var responses = StrictBinder.Bind<ResponsesOptions>(root, ResponsesOptions.SectionName, issues, MovedKeys);
        var redis = StrictBinder.Bind<RedisOptions>(root, RedisOptions.SectionName, issues, MovedKeys);
        var budgets = StrictBinder.Bind<BudgetOptions>(root, BudgetOptions.SectionName, issues, MovedKeys);
        var cache = StrictBinder.Bind<CacheOptions>(root, CacheOptions.SectionName, issues, MovedKeys);

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

        if (catalogue is not null)
        {
            catalogue.ApplyDefaults();
            CatalogueValidator.Validate(catalogue, issues);
        }

        if (admission is not null)
        {
            PriorityOptionsValidator.Validate(admission.Priority, new HashSet<string>((routing ?? new RoutingOptions()).Headers.All, StringComparer.Ordinal), issues);
            GpuAgentsOptionsValidator.Validate(admission.GpuAgents, issues);
            EngineOptionsValidator.ValidateScrape(admission.Scrape, $"{AdmissionOptions.SectionName}.scrape", issues);
        }

        if (coalescing is not null)
        {
            CoalescingOptionsValidator.Validate(coalescing, new HashSet<string>((routing ?? new RoutingOptions()).Headers.All, StringComparer.Ordinal), issues);
        }

        if (responses is not null)
        {
            ResponsesOptionsValidator.Validate(responses, issues);
        }

        if (budgets is not null)
        {
            BudgetOptionsValidator.Validate(budgets, redis, responses, coalescing, new HashSet<string>((routing ?? new RoutingOptions()).Headers.All, StringComparer.Ordinal), issues);
        }

        if (cache is not null)
        {
            var tenantHeaders = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [CoalescingOptions.SectionName] = coalescing?.TenantHeader ?? "",
                [BudgetOptions.SectionName] = budgets?.TenantHeader ?? "",
            };
            CacheOptionsValidator.Validate(cache, redis, tenantHeaders, new HashSet<string>((routing ?? new RoutingOptions()).Headers.All, StringComparer.Ordinal), issues);
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
