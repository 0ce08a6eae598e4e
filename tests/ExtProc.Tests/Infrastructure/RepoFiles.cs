using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Files the repository ships (configs, manifests), found from the test's output folder.</summary>
internal static class RepoFiles
{
    /// <summary>The repository root: the folder that holds <c>ExtProc.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The full path of <paramref name="relativePath"/> (forward slashes) under the root.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>Every YAML document of the file, as JSON (scalars as strings, anchors and aliases resolved).</summary>
    public static IReadOnlyList<JsonNode> LoadYaml(string relativePath)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(PathOf(relativePath)))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => ToJson(d.RootNode))];
    }

    private static JsonNode ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, (JsonNode?)ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType} at {node.Start}."),
    };

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExtProc.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found.");
    }
}
