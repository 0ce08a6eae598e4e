using System.Text;
using AiSidecar.Configuration;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Routing;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Configs for tests, checked by the server's own loader: from YAML text, or from options objects.</summary>
internal static class TestConfigs
{
    /// <summary>The config <paramref name="yaml"/> describes, as the server would load it; throws with every problem when invalid.</summary>
    public static LoadedConfig Load(string yaml, params string[] overrides) =>
        ConfigLoader.TryLoad(new ConfigSources(null, overrides), Encoding.UTF8.GetBytes(yaml), null, out var loaded, out var errors)
            ? loaded!
            : throw new InvalidOperationException("The test config is invalid:\n" + string.Join("\n", errors));

    /// <summary>Every problem the loader finds in <paramref name="yaml"/>.</summary>
    public static IReadOnlyList<string> Errors(string yaml, params string[] overrides)
    {
        ConfigLoader.TryLoad(new ConfigSources(null, overrides), Encoding.UTF8.GetBytes(yaml), null, out _, out var errors);
        return errors;
    }

    /// <summary>A config built from options objects (defaults applied); throws when it does not validate.</summary>
    public static LoadedConfig Of(ServerConfig config)
    {
        var errors = ErrorsOf(config);
        return errors.Count == 0
            ? new LoadedConfig(new ConfigSources(null, []), config, new ConfigurationBuilder().Build(), null)
            : throw new InvalidOperationException("The test config is invalid:\n" + string.Join("\n", errors));
    }

    /// <summary>What the routing and catalogue checks say of <paramref name="config"/> (defaults applied first, as the server does): <c>path: message</c> lines.</summary>
    public static List<string> ErrorsOf(ServerConfig config)
    {
        config.ApplyDefaults();
        var issues = new List<ConfigIssue>();
        RoutingOptionsValidator.Validate(config.Routing, issues);
        CatalogueValidator.Validate(config.Catalogue, issues);
        return [.. issues.Select(i => $"{i.Path}: {i.Message}")];
    }

    /// <summary>Asserts that one of <paramref name="errors"/> is at <paramref name="path"/> and says <paramref name="detail"/>.</summary>
    public static void AssertError(List<string> errors, string path, string detail) =>
        Assert.True(
            errors.Any(e => e.StartsWith(path, StringComparison.Ordinal) && e.Contains(detail, StringComparison.Ordinal)),
            $"Expected an error at {path} containing '{detail}', got:\n{string.Join("\n", errors)}");

    /// <summary>The embedded defaults with <paramref name="catalogue"/> and <paramref name="routing"/> in place of theirs.</summary>
    public static ServerConfig With(CatalogueOptions catalogue, RoutingOptions? routing = null) =>
        ServerConfig.Defaults() with { Catalogue = catalogue, Routing = routing ?? new RoutingOptions() };
}
