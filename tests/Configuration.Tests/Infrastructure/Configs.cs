using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration.Tests.Infrastructure;

/// <summary>Builds configurations from YAML text the way a server would.</summary>
internal static class Configs
{
    /// <summary>The YAML text as a file (<c>config.yaml</c> in <paramref name="files"/>), read and loaded with positions under its path.</summary>
    public static IConfigurationRoot Yaml(TempFiles files, string yaml)
    {
        var path = files.Write("config.yaml", yaml);
        return new ConfigurationBuilder().AddPositionedYaml(File.ReadAllBytes(path), path).Build();
    }

    /// <summary>The YAML text loaded from memory under the name <c>config.yaml</c>.</summary>
    public static IConfigurationRoot Yaml(string yaml) =>
        new ConfigurationBuilder().AddPositionedYaml(System.Text.Encoding.UTF8.GetBytes(yaml), "config.yaml").Build();

    /// <summary>In-memory settings (no location known).</summary>
    public static IConfigurationRoot Memory(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
