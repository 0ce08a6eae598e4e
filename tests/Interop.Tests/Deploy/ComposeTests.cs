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
