using System.Text.Json;
using System.Text.RegularExpressions;
using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.Deploy;

/// <summary>
/// The Istio traffic manifests agree with the example catalogue config: every version's (pool, variant) reaches its
/// pool's Service and a subset named after the variant, and the AnalysisTemplate queries metrics the server exports.
/// </summary>
public sealed partial class TrafficManifestTests
{
    private const string ConfigPath = "examples/traffic/config.yaml";
    private const string ChatPath = "/v1/chat/completions";

    public static TheoryData<string, string> PoolVariants()
    {
        var data = new TheoryData<string, string>();
        var config = YamlFiles.LoadAsync(ConfigPath).GetAwaiter().GetResult().Single();
        foreach (var model in config.GetProperty("catalogue").GetProperty("models").EnumerateArray())
        {
            foreach (var version in model.GetProperty("versions").EnumerateArray())
            {
                var canary = version.TryGetProperty("canary", out var c) && c.ValueKind == JsonValueKind.True;
                var variant = version.Str("variant") ?? (canary ? "canary" : "stable");
                data.Add(version.Str("pool")!, variant);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PoolVariants))]
    public async Task VirtualService_EveryPoolAndVariant_ReachesTheSubsetOfThatVariant(string pool, string variant)
    {
        var config = (await YamlFiles.LoadAsync(ConfigPath)).Single();
        var names = config.GetProperty("routing").GetProperty("headers");
        var service = await YamlFiles.LoadKindAsync("istio/VirtualService/model-variants.yaml", "VirtualService");
        var rules = await YamlFiles.LoadAsync("istio/DestinationRule/model-variants.yaml");
        var request = new Dictionary<string, string> { [names.Str("pool")!] = pool, [names.Str("variant")!] = variant };

        var route = service.GetProperty("spec").GetProperty("http").EnumerateArray().First(r => Matches(r, request));

        var destination = route.GetProperty("route").EnumerateArray().Single().GetProperty("destination");
        Assert.StartsWith(pool + ".", destination.Str("host"), StringComparison.Ordinal);
        Assert.Equal(variant, destination.Str("subset"));
        var rule = rules.Single(r => r.Str("spec", "host") == destination.Str("host"));
        Assert.Contains(variant, rule.GetProperty("spec").GetProperty("subsets").EnumerateArray().Select(s => s.Str("name")));
    }

    [Fact]
    public async Task AnalysisTemplate_Queries_UseMetricsTheServerExports()
    {
        var template = await YamlFiles.LoadKindAsync("istio/Rollouts/analysis-template.yaml", "AnalysisTemplate");
        // The families the server exports, checked against a scrape of the real server by ExtProc.Tests.
        var exported = (await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Root, "tests", "ExtProc.Tests", "Telemetry", "metric-families.txt")))
            .Select(l => l.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);

        var queries = template.GetProperty("spec").GetProperty("metrics").EnumerateArray()
            .Select(m => m.GetProperty("provider").GetProperty("prometheus").Str("query")!).ToList();

        Assert.Equal(2, queries.Count);
        foreach (var metric in queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Groups[1].Value)))
        {
            Assert.Contains(metric, exported);
        }
    }

    /// <summary>
    /// Istio's match for a <c>POST /v1/chat/completions</c> with these headers: a block matches when its method, uri
    /// (exact or regex) and every listed header hold; a route without match takes all.
    /// </summary>
    private static bool Matches(JsonElement route, Dictionary<string, string> request) =>
        !route.TryGetProperty("match", out var matches)
        || matches.EnumerateArray().Any(m =>
            (!m.TryGetProperty("method", out var method) || method.Str("exact") == "POST")
            && (!m.TryGetProperty("uri", out var uri) || uri.Str("exact") == ChatPath
                || (uri.Str("regex") is { } regex && Regex.IsMatch(ChatPath, $"^(?:{regex})$", RegexOptions.CultureInvariant)))
            && (!m.TryGetProperty("headers", out var headers) || headers.EnumerateObject()
                .All(h => request.TryGetValue(h.Name, out var value) && h.Value.Str("exact") == value)));

    [GeneratedRegex(@"(extproc_[a-z_]+?)(?:_bucket|_count|_sum)?\{")]
    private static partial Regex MetricName();
}
