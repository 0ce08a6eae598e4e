namespace AiSidecar.Interop.Tests.ConfigValidation;

/// <summary>Finds every Envoy config in the repository: bootstrap files under envoy/ and examples/ratelimit/, and Istio EnvoyFilters.</summary>
internal static class EnvoyConfigFiles
{
    public static IReadOnlyList<string> Discover(string root)
    {
        var bootstraps = Yaml(Path.Combine(root, "envoy")).Concat(Yaml(Path.Combine(root, "examples", "ratelimit")))
            .Where(f => !Path.GetFileName(f).Contains("compose", StringComparison.OrdinalIgnoreCase));
        var envoyFilters = Yaml(Path.Combine(root, "istio", "EnvoyFilter"));
        return [.. bootstraps.Concat(envoyFilters)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Yaml(string dir) => Directory.Exists(dir)
        ? Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
        : [];
}
