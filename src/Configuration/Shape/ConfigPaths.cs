using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>Dotted key paths (<c>routing.ranges[0].maxTokens</c>) and their colon form (<c>routing:ranges:0:maxTokens</c>).</summary>
internal static class ConfigPaths
{
    /// <summary>Appends a child key: <c>[n]</c> for a list index, <c>.key</c> otherwise.</summary>
    public static string Child(string path, string key) =>
        path.Length == 0 ? key : path + "." + key;

    /// <summary>Appends a list index.</summary>
    public static string Index(string path, string index) => $"{path}[{index}]";

    /// <summary>The dotted form of a colon key; all-digit segments become list indices.</summary>
    public static string Dotted(string colonKey)
    {
        var result = string.Empty;
        foreach (var segment in colonKey.Split(ConfigurationPath.KeyDelimiter))
        {
            result = result.Length > 0 && IsIndex(segment) ? Index(result, segment) : Child(result, segment);
        }

        return result;
    }

    /// <summary>A list index as the configuration writes it: digits without a leading zero.</summary>
    public static bool IsIndex(string key) =>
        key.Length > 0 && key.All(char.IsAsciiDigit) && (key.Length == 1 || key[0] != '0')
        && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary><c>GrpcPort</c> → <c>grpcPort</c>.</summary>
    public static string Camel(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The dotted path of a section as the configuration spells it (the stored keys, not the requested ones).</summary>
    public static string Spelled(IConfiguration configuration, string sectionName)
    {
        var path = string.Empty;
        IConfiguration current = configuration;
        foreach (var segment in sectionName.Split(ConfigurationPath.KeyDelimiter))
        {
            var child = current.GetChildren().FirstOrDefault(c => string.Equals(c.Key, segment, StringComparison.OrdinalIgnoreCase));
            var spelled = child?.Key ?? segment;
            path = path.Length > 0 && IsIndex(spelled) ? Index(path, spelled) : Child(path, spelled);
            current = (IConfiguration?)child ?? current.GetSection(segment);
        }

        return path;
    }

    /// <summary>The path with every list index replaced by <c>[*]</c>, for matching patterns.</summary>
    public static string Pattern(string path)
    {
        var result = new System.Text.StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end > i)
                {
                    result.Append("[*]");
                    i = end;
                    continue;
                }
            }

            result.Append(path[i]);
        }

        return result.ToString();
    }
}
