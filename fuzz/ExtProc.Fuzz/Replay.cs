namespace AiSidecar.ExtProc.Fuzz;

/// <summary>Runs a target on saved inputs (files, or every file of a directory) without afl-fuzz.</summary>
internal static class Replay
{
    public static int Run(FuzzTarget target, IEnumerable<string> paths, TextWriter output)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p])
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !Path.GetFileName(f).Equals("README.txt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                failed++;
                output.WriteLine($"{file}: {ex.GetType().Name}: {ex.Message}");
                output.WriteLine(ex.StackTrace);
            }
        }

        output.WriteLine($"{target.Name}: {files.Count} inputs, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
