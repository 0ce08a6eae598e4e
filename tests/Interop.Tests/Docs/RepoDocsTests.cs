using System.Text.Json;
using System.Text.RegularExpressions;
using AiSidecar.Interop.Tests.Deploy;
using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.Docs;

/// <summary>The repository's documents (Markdown, YAML, Dockerfiles, scripts) say only what the repository holds.</summary>
public sealed partial class RepoDocsTests
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", ".git", "TestResults"];

    public static TheoryData<string> Documents() => new(
        Walk(RepoPaths.Root)
            .Where(f => Path.GetExtension(f) is ".md" or ".yaml" or ".yml" or ".sh" || Path.GetFileName(f) == "Dockerfile")
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_CitesNoFileOutsideTheRepository(string path)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, path));

        var outside = lines.Select((l, i) => (Line: i + 1, Text: l)).Where(l => OutsideCitation().IsMatch(l.Text)).ToList();

        Assert.True(outside.Count == 0, string.Join("\n", outside.Select(l => $"{path}:{l.Line}: {l.Text.Trim()}")));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_EveryRepositoryPathItNames_Exists(string path)
    {
        var missing = new List<string>();
        foreach (var (text, number) in File.ReadLines(Path.Combine(RepoPaths.Root, path)).Select((l, i) => (l, i + 1)))
        {
            foreach (Match m in RepoPath().Matches(text))
            {
                var cited = m.Value.TrimEnd('.');
                if (IsPattern(text, m) || cited.Contains("/bin/", StringComparison.Ordinal) || cited.Contains("/obj/", StringComparison.Ordinal) || ProtoImport().IsMatch(cited))
                {
                    continue; // a glob or placeholder, a build output or intermediate, or a proto import path (relative to a proto root)
                }

                if (!File.Exists(Path.Combine(RepoPaths.Root, cited)) && !Directory.Exists(Path.Combine(RepoPaths.Root, cited)))
                {
                    missing.Add($"{path}:{number}: {cited}");
                }
            }
        }

        Assert.True(missing.Count == 0, "names a path the repository does not have:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Readme_NodeRequirement_SatisfiesEveryPackageTheToolsInstall()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var major = int.Parse(NodeRequirement().Match(readme).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var refused = new List<string>();
        foreach (var lockFile in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tools"), "package-lock.json", SearchOption.AllDirectories)
                     .Where(f => !f.Contains("node_modules", StringComparison.Ordinal)))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(lockFile));
            foreach (var package in document.RootElement.GetProperty("packages").EnumerateObject())
            {
                if (package.Value.Str("engines", "node") is { } range && !NodeRange.Accepts(range, major))
                {
                    refused.Add($"{Path.GetRelativePath(RepoPaths.Root, lockFile)}: {(package.Name.Length == 0 ? "(root)" : package.Name)} requires node {range}");
                }
            }
        }

        Assert.True(refused.Count == 0, $"README names Node.js {major}, which these packages do not accept:\n" + string.Join("\n", refused));
    }

    [Fact]
    public void Readme_NodeRequirement_IsTheEnvoyApiToolsEngine()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.EnvoyApiToolDir, "package.json")));

        Assert.Equal($">={NodeRequirement().Match(readme).Groups[1].Value}", package.RootElement.Str("engines", "node"));
    }

    private static bool IsPattern(string text, Match m) =>
        m.Index + m.Length < text.Length && text[m.Index + m.Length] is '*' or '<' or '{' or '$';

    private static IEnumerable<string> Walk(string directory) =>
        Directory.EnumerateFiles(directory).Concat(Directory.EnumerateDirectories(directory)
            .Where(d => !Skipped.Contains(Path.GetFileName(d)))
            .SelectMany(Walk));

    [GeneratedRegex(@"\.\./shared|/work/|shared/reference")]
    private static partial Regex OutsideCitation();

    /// <summary>A path under one of the repository's top-level folders, not part of a longer path or URL.</summary>
    [GeneratedRegex(@"(?<![\w./~$-])(?:src|docs|istio|deploy|envoy|examples|bench|scripts|tools|tests|protos|fuzz)/[A-Za-z0-9_./-]*")]
    private static partial Regex RepoPath();

    /// <summary>Envoy API proto paths (envoy/config/..., envoy/service/...), relative to a proto root, not to the repository.</summary>
    [GeneratedRegex(@"^envoy/(config|extensions|service|type)(/|$)")]
    private static partial Regex ProtoImport();

    [GeneratedRegex(@"Node\.js (\d+) or newer")]
    private static partial Regex NodeRequirement();
}
