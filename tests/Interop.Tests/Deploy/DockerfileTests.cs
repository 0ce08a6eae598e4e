using System.Text.Json;
using System.Text.RegularExpressions;
using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.Deploy;

/// <summary>
/// Each Dockerfile builds with a plain <c>docker build</c> from the context its header documents, checked statically:
/// no Docker engine runs here, so these are the invariants that can be read off the files.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string> Dockerfiles => new(Dockerfile.Discover());

    [Fact]
    public void Discover_Repository_FindsBothImages()
    {
        Assert.Equal(["src/ExtProc/Dockerfile", "src/GpuAgent/Dockerfile"], Dockerfile.Discover());
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Header_DocumentsThePlainBuildFromTheRepositoryRoot(string path)
    {
        var (file, image, context) = Dockerfile.Load(path).DocumentedBuild();

        Assert.Equal((path, "."), (file, context));
        Assert.Matches(@"^ai-sidecar/[a-z-]+:[0-9]+\.[0-9]+\.[0-9]+$", image);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Args_EveryBuildArgumentHasADefault(string path)
    {
        var dockerfile = Dockerfile.Load(path);

        var args = dockerfile.Values("ARG").Select(a => a.Split('=', 2)).ToList();

        Assert.NotEmpty(args);
        Assert.All(args, a => Assert.True(a.Length == 2 && a[1].Length > 0, $"ARG {a[0]} has no default: plain docker build would fail"));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void From_EveryVariableIsAGlobalArgumentWithADefault(string path)
    {
        var dockerfile = Dockerfile.Load(path);
        var global = dockerfile.GlobalArgs();

        var variables = dockerfile.Values("FROM").SelectMany(f => Variable().Matches(f)).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(variables);
        Assert.All(variables, v => Assert.True(global.TryGetValue(v, out var value) && value is not null, $"FROM uses ${{{v}}}, which is not an ARG with a default before the first FROM"));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Copy_EverySourceExistsInTheContextAndIsNotIgnored(string path)
    {
        var ignored = DockerIgnorePatterns();

        var sources = Dockerfile.Load(path).Values("COPY")
            .Where(c => !c.StartsWith("--from=", StringComparison.Ordinal))
            .SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, source =>
        {
            var full = Path.Combine(RepoPaths.Root, source);
            Assert.True(File.Exists(full) || Directory.Exists(full), $"COPY {source}: not in the build context (the repository root)");
            Assert.DoesNotContain(ignored, pattern => pattern.IsMatch(source.TrimEnd('/') + "/"));
        });
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Run_BuildsTheProjectItsEntrypointStarts(string path)
    {
        var dockerfile = Dockerfile.Load(path);
        var folder = Path.GetDirectoryName(path)!.Replace('\\', '/');
        var project = $"{folder}/{Path.GetFileName(folder)}.csproj";

        var assembly = Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.Root, project)), "<AssemblyName>([^<]+)</AssemblyName>").Groups[1].Value;
        var entrypoint = JsonSerializer.Deserialize<string[]>(dockerfile.Values("ENTRYPOINT").Single())!;

        Assert.Contains(dockerfile.Values("RUN"), r => r.StartsWith($"dotnet restore {project}", StringComparison.Ordinal));
        Assert.Contains(dockerfile.Values("RUN"), r => r.StartsWith($"dotnet publish {project} ", StringComparison.Ordinal));
        Assert.Equal(["dotnet", assembly + ".dll"], entrypoint);
    }

    /// <summary>.dockerignore's patterns as regular expressions over context paths ("**/bin/" matches "x/bin/...").</summary>
    private static List<Regex> DockerIgnorePatterns() =>
    [
        .. File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(p => new Regex("^" + Regex.Escape(p).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal)
                + (p.EndsWith('/') ? "" : "(/|$)"))),
    ];

    [GeneratedRegex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex Variable();
}
