using System.Text.RegularExpressions;
using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.Deploy;

/// <summary>
/// A Dockerfile of the repository, read statically (no Docker engine runs here): its instructions with line
/// continuations joined, its global build arguments and the build command its header documents.
/// </summary>
internal sealed partial record Dockerfile(string RelativePath, IReadOnlyList<Dockerfile.Instruction> Instructions, IReadOnlyList<string> Header)
{
    /// <summary>Every <c>src/*/Dockerfile</c> (one per shipped image).</summary>
    public static IReadOnlyList<string> Discover() =>
    [
        .. Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "Dockerfile", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    public static Dockerfile Load(string relativePath)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, relativePath));
        var header = lines.TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim()).ToList();
        var instructions = new List<Instruction>();
        var pending = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            pending += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (!line.EndsWith('\\'))
            {
                var split = pending.IndexOf(' ', StringComparison.Ordinal);
                instructions.Add(new Instruction(pending[..split].ToUpperInvariant(), pending[(split + 1)..].Trim()));
                pending = "";
            }
        }

        return new Dockerfile(relativePath, instructions, header);
    }

    /// <summary>The <c>docker build</c> command of the header: its <c>-f</c> file, <c>-t</c> image and context.</summary>
    public (string File, string Image, string Context) DocumentedBuild()
    {
        var command = Header.Select(l => BuildCommand().Match(l)).Single(m => m.Success);
        return (command.Groups["file"].Value, command.Groups["image"].Value, command.Groups["context"].Value);
    }

    /// <summary>The image's name without its tag, and its tag, from the documented build.</summary>
    public (string Name, string Tag) Image()
    {
        var image = DocumentedBuild().Image;
        var colon = image.LastIndexOf(':');
        return (image[..colon], image[(colon + 1)..]);
    }

    /// <summary>Build arguments declared before the first FROM (the ones FROM lines may use): name → default, or null.</summary>
    public IReadOnlyDictionary<string, string?> GlobalArgs() => Instructions
        .TakeWhile(i => i.Keyword != "FROM")
        .Where(i => i.Keyword == "ARG")
        .Select(i => i.Arguments.Split('=', 2))
        .ToDictionary(p => p[0], p => p.Length == 2 && p[1].Length > 0 ? p[1] : null);

    public IEnumerable<string> Values(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    [GeneratedRegex(@"^docker build -f (?<file>\S+)(?: --build-arg \S+)* -t (?<image>\S+) (?<context>\S+)$")]
    private static partial Regex BuildCommand();

    internal sealed record Instruction(string Keyword, string Arguments);
}
