namespace AiSidecar.Configuration.Tests.Infrastructure;

/// <summary>A temporary directory for config files, deleted with the test.</summary>
internal sealed class TempFiles : IDisposable
{
    public TempFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("config-tests-").FullName;
    }

    public string Directory { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> and returns the full path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
