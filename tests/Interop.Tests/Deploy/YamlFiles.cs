using System.Text.Json;
using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.Deploy;

/// <summary>The repository's deploy YAML, read strictly (duplicate keys are errors) through the Node tool.</summary>
internal static class YamlFiles
{
    private static readonly string[] Folders = ["deploy", "envoy", "istio"];

    public static IReadOnlyList<string> Discover() =>
    [
        .. Folders
            .Select(f => Path.Combine(RepoPaths.Root, f))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.y*ml", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Every document of the file, as JSON.</summary>
    public static async Task<IReadOnlyList<JsonElement>> LoadAsync(string relativePath)
    {
        var result = await EnvoyApiTool.RunAsync(["yaml-to-json", Path.Combine(RepoPaths.Root, relativePath)]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.StdOut);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    public static async Task<JsonElement> LoadKindAsync(string relativePath, string kind) =>
        (await LoadAsync(relativePath)).Single(d => d.GetProperty("kind").GetString() == kind);
}
