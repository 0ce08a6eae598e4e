using AiSidecar.ExtProc.Tests.EnvoyFilter;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>The shipped <c>examples/traffic/</c> files (copied next to the tests) and requests against them.</summary>
internal static class TrafficExamples
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "examples", "traffic");

    public static string ConfigPath => Path.Combine(Directory, "config.yaml");

    public static string CasesPath => Path.Combine(Directory, "cases.yaml");

    public static string Config => File.ReadAllText(ConfigPath);

    /// <summary>A POST with extra request headers.</summary>
    public static DownstreamRequest Post(string path, string body, params (string Name, string Value)[] headers)
    {
        var request = DownstreamRequest.Post(path, body);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }
}
