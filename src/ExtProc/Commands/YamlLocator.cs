using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AiSidecar.ExtProc.Commands;

/// <summary>Finds the line and column of a key path (<c>routing.registry.models[2].versions[0].weight</c>) in a YAML file.</summary>
internal static partial class YamlLocator
{
    /// <summary>The leading key path of an error message, when it starts with one.</summary>
    public static string? PathOf(string message) => LeadingPath().Match(message) is { Success: true } m ? m.Value : null;

    /// <summary>"line:column" of the deepest node of <paramref name="path"/> present in the document, or null.</summary>
    public static string? Locate(YamlNode? root, string path)
    {
        YamlNode? node = root;
        YamlNode? found = null;
        foreach (Match segment in Segment().Matches(path))
        {
            if (segment.Groups["index"].Success && node is YamlSequenceNode list)
            {
                var index = int.Parse(segment.Groups["index"].Value, CultureInfo.InvariantCulture);
                node = index < list.Children.Count ? list.Children[index] : null;
                found = node ?? found;
            }
            else if (segment.Groups["key"].Success && node is YamlMappingNode map)
            {
                var entry = map.Children.FirstOrDefault(e => string.Equals((e.Key as YamlScalarNode)?.Value, segment.Groups["key"].Value, StringComparison.OrdinalIgnoreCase));
                found = entry.Key ?? found;
                node = entry.Value;
            }
            else
            {
                break;
            }

            if (node is null)
            {
                break;
            }
        }

        return found is null ? null : $"{found.Start.Line}:{found.Start.Column}";
    }

    [GeneratedRegex(@"^(server|processing|tokenization|routing|telemetry)(\.[A-Za-z]+|\[\d+\])*")]
    private static partial Regex LeadingPath();

    [GeneratedRegex(@"(?<key>[A-Za-z]+)|\[(?<index>\d+)\]")]
    private static partial Regex Segment();
}
