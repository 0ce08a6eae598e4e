namespace AiSidecar.GpuAgent.Tests.Hosting;

/// <summary>The repository's docker compose demo (envoy/docker-compose.yaml), read for one service's environment.</summary>
internal static class ComposeFile
{
    private const string RelativePath = "envoy/docker-compose.yaml";

    /// <summary>The <c>environment:</c> mapping of <paramref name="service"/> (block style, <c>KEY: value</c> lines).</summary>
    public static Dictionary<string, string> Environment(string service)
    {
        var lines = File.ReadAllLines(Find());
        var start = Array.FindIndex(lines, l => l == $"  {service}:");
        var block = Array.FindIndex(lines, start + 1, l => l == "    environment:");
        Assert.True(start >= 0 && block > start, $"no environment for service {service} in {RelativePath}");
        return lines.Skip(block + 1)
            .TakeWhile(l => l.StartsWith("      ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(':', 2))
            .ToDictionary(p => p[0], p => p[1].Trim().Trim('"'));
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"No {RelativePath} above {AppContext.BaseDirectory}.");
    }
}
