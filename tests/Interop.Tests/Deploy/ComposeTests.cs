using System.Text.Json;
using System.Text.RegularExpressions;
using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.Deploy;

/// <summary>The docker compose demo is self-consistent: its documented request is served, and Envoy's upstreams are its services.</summary>
public sealed partial class ComposeTests
{
    private const string ComposePath = "envoy/docker-compose.yaml";

    [Fact]
    public async Task DemoRequest_Model_IsServedByEveryModelPool()
    {
        var header = File.ReadLines(Path.Combine(RepoPaths.Root, ComposePath)).TakeWhile(l => l.StartsWith('#'));
        var model = header.Select(l => RequestModel().Match(l)).Single(m => m.Success).Groups[1].Value;
        var services = (await YamlFiles.LoadAsync(ComposePath)).Single().GetProperty("services");

        var served = services.EnumerateObject()
            .Where(s => s.Value.TryGetProperty("command", out _) && Arguments(s.Value).Contains("--model"))
            .ToDictionary(s => s.Name, s => ServedModelNames(Arguments(s.Value)));

        Assert.Equal(["llm-large", "llm-medium", "llm-small"], served.Keys.Order(StringComparer.Ordinal));
        Assert.All(served, s => Assert.Contains(model, s.Value));
    }

    [Fact]
    public async Task EnvoyClusters_EveryUpstreamHost_IsAComposeService()
    {
        var services = (await YamlFiles.LoadAsync(ComposePath)).Single().GetProperty("services");
        var envoy = (await YamlFiles.LoadAsync("envoy/envoy.yaml")).Single();

        var hosts = JsonSearch.Objects(envoy)
            .Where(o => o.TryGetProperty("socket_address", out _))
            .Select(o => o.Str("socket_address", "address")!)
            .Where(a => a != "0.0.0.0")
            .ToList();

        Assert.NotEmpty(hosts);
        Assert.All(hosts, h => Assert.True(services.TryGetProperty(h, out _), $"Envoy's upstream {h} is not a compose service"));
    }

    [Fact]
    public async Task ExtProcConfig_EveryAdmissionTarget_IsAComposeServiceOnItsPort()
    {
        var services = (await YamlFiles.LoadAsync(ComposePath)).Single().GetProperty("services");
        var extproc = services.GetProperty("extproc");
        Assert.Contains("../examples/compose/config.yaml:/etc/ai-sidecar/config.yaml:ro", extproc.GetProperty("volumes").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("/etc/ai-sidecar/config.yaml", extproc.GetProperty("environment").GetProperty("EXTPROC_CONFIG").GetString());
        var config = (await YamlFiles.LoadAsync("examples/compose/config.yaml")).Single();

        var targets = config.GetProperty("catalogue").GetProperty("pools").EnumerateArray()
            .SelectMany(p => p.GetProperty("engine").GetProperty("endpoints").EnumerateArray().Select(e => new Uri(e.GetString()!)))
            .Select(u => (u.Host, u.Port))
            .Concat(config.GetProperty("admission").GetProperty("gpuAgents").GetProperty("addresses").EnumerateArray()
                .Select(a => a.GetString()!.Split(':')).Select(a => (a[0], int.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture))))
            .ToList();

        Assert.Equal(4, targets.Count);
        Assert.All(targets, t => Assert.True(services.TryGetProperty(t.Item1, out var service) && Listens(service, t.Item2), $"{t.Item1}:{t.Item2} is not a compose service listening there"));
    }

    /// <summary>Whether the service's command (<c>--port N</c>) or published ports say it listens on <paramref name="port"/>.</summary>
    private static bool Listens(JsonElement service, int port)
    {
        var text = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (service.TryGetProperty("command", out _) && Arguments(service).SkipWhile(a => a != "--port").Skip(1).FirstOrDefault() == text)
            || (service.TryGetProperty("ports", out var ports) && ports.EnumerateArray().Any(p => p.GetString()!.EndsWith(":" + text, StringComparison.Ordinal)));
    }

    private static List<string> Arguments(JsonElement service) => [.. service.GetProperty("command").EnumerateArray().Select(a => a.GetString()!)];

    /// <summary>The simulator's <c>--served-model-name</c> values (every argument up to the next flag), or its <c>--model</c>.</summary>
    private static List<string> ServedModelNames(List<string> arguments)
    {
        var flag = arguments.IndexOf("--served-model-name");
        return flag < 0
            ? [arguments[arguments.IndexOf("--model") + 1]]
            : [.. arguments.Skip(flag + 1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal))];
    }

    [GeneratedRegex("\"model\":\"([^\"]+)\"")]
    private static partial Regex RequestModel();
}
