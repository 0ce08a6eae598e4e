namespace AiSidecar.Configuration;

/// <summary>What a YAML file loads into: the flat configuration values and each key's 1-based line and column.</summary>
internal sealed class YamlConfigurationData
{
    public Dictionary<string, string?> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, (int Line, int Column)> Positions { get; } = new(StringComparer.OrdinalIgnoreCase);
}
