using System.Net;
using AiSidecar.Configuration;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Configuration;

/// <summary>
/// Builds and checks the whole config: the one path the server takes at start, the <c>validate</c> command and every
/// reload. Each section binds strictly; then what binding cannot see is checked (ranges, catalogue, header names,
/// limits that depend on each other). Every problem is one line: <c>FILE:LINE:COL: key.path: message</c>.
/// </summary>
internal static class ConfigLoader
{
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
                errors = [$"{path}: cannot be read: {ex.Message}"];
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
        var issues = new List<ConfigIssue>();
        IConfigurationRoot root;
        try
        {
            root = Build(sources, content);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or YamlDotNet.Core.YamlException)
        {
            errors = [$"{sources.Label}: not valid YAML: {ex.Message}"];
            return false;
        }

        var config = new ServerConfig(
            Bind<ServerOptions>(root, ServerOptions.SectionName, issues),
            Bind<ProcessingOptions>(root, ProcessingOptions.SectionName, issues),
            Bind<TokenizationOptions>(root, TokenizationOptions.SectionName, issues),
            Bind<RoutingOptions>(root, RoutingOptions.SectionName, issues),
            Bind<CatalogueOptions>(root, CatalogueOptions.SectionName, issues),
            Bind<TelemetryOptions>(root, TelemetryOptions.SectionName, issues));
        if (issues.Count == 0)
        {
            config.ApplyDefaults();
            Check(config, issues);
        }

        errors = [.. issues.Select(i => $"{sources.Label}: {i.Path}: {i.Message}")];
        if (errors.Count > 0)
        {
            return false;
        }

        loaded = new LoadedConfig(sources, config, root, file);
        return true;
    }

    /// <summary>What binding cannot see: values that depend on each other, header names, the catalogue.</summary>
    private static void Check(ServerConfig config, List<ConfigIssue> issues)
    {
        foreach (var (key, address) in new[] { ("grpcAddress", config.Server.GrpcAddress), ("httpAddress", config.Server.HttpAddress) })
        {
            if (!IPAddress.TryParse(address, out _))
            {
                issues.Add(new($"server.{key}", $"'{address}' is not an IP address (0.0.0.0 listens on every interface, 127.0.0.1 on loopback only)."));
            }
        }

        if (config.Processing.MaxBodyBytes + (64 << 10) > config.Server.MaxReceiveMessageBytes)
        {
            issues.Add(new("processing.maxBodyBytes", $"{config.Processing.MaxBodyBytes} must be at least 64 KiB below server.maxReceiveMessageBytes ({config.Server.MaxReceiveMessageBytes}), so a whole body fits in one gRPC message."));
        }

        RoutingOptionsValidator.Validate(config.Routing, issues);
        CatalogueValidator.Validate(config.Catalogue, issues);
    }

    private static IConfigurationRoot Build(ConfigSources sources, byte[] content) => new ConfigurationBuilder()
        .AddYamlStream(new MemoryStream(content, writable: false))
        .AddEnvironmentVariables(ConfigSources.EnvironmentPrefix)
        .AddCommandLine([.. sources.Overrides])
        .Build();

    private static T Bind<T>(IConfiguration root, string section, List<ConfigIssue> issues)
        where T : class, new()
    {
        try
        {
            return root.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            issues.Add(new(section, ex.Message));
            return new T();
        }
    }
}
