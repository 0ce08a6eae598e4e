using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace AiSidecar.ExtProc.Tests.Configuration;

/// <summary>Every server config the repository ships passes the server's own checks, and the two defaults agree.</summary>
public sealed class ShippedConfigTests
{
    /// <summary>
    /// Where the shipped ConfigMap deliberately differs from the embedded defaults (key path → why). Every other
    /// effective value must be the same, so a default changed in one place and forgotten in the other fails here.
    /// </summary>
    private static readonly Dictionary<string, string> DeliberateDifferences = new(StringComparer.OrdinalIgnoreCase)
    {
        ["processing.messageTimeoutMs"] = "the shipped EnvoyFilter and envoy.yaml set message_timeout: 1s; the default is Envoy's own 200 ms",
        ["admission.gpuAgents.service"] = "a pod watches the GPU agents of deploy/k8s/gpu-agent through their headless Service; a local run has none",
        ["coalescing.maxHeldBytes"] = "the bodies held for batches are sized for the pod's 1 GiB memory limit, beside memory.*",
        ["Logging:LogLevel:Default"] = "a pod logs problems only (Warning); a local run also shows the start-up lines (Information)",
    };

    [Fact]
    public void TryLoad_KubernetesConfigMap_IsValid()
    {
        var valid = ConfigLoader.TryLoad(new ConfigSources("configmap.yaml", []), ConfigMapText(), null, out _, out var errors);

        Assert.True(valid, string.Join("\n", errors));
    }

    [Fact]
    public void EffectiveValues_EmbeddedDefaultsAndConfigMap_AgreeExceptDeliberateDifferences()
    {
        var defaults = Flatten(Load(null, ConfigFile.ReadDefault()));
        var shipped = Flatten(Load("configmap.yaml", ConfigMapText()));

        var differences = defaults.Keys.Union(shipped.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(key => !DeliberateDifferences.ContainsKey(key))
            .Where(key => defaults.GetValueOrDefault(key) != shipped.GetValueOrDefault(key))
            .Select(key => $"{key}: defaults.yaml {defaults.GetValueOrDefault(key) ?? "(unset)"}, configmap.yaml {shipped.GetValueOrDefault(key) ?? "(unset)"}")
            .ToList();
        var stale = DeliberateDifferences.Keys
            .Where(key => defaults.GetValueOrDefault(key) == shipped.GetValueOrDefault(key))
            .Select(key => $"{key}: listed as a deliberate difference, but both say {defaults.GetValueOrDefault(key) ?? "(unset)"}")
            .ToList();

        Assert.True(differences.Count == 0, string.Join("\n", differences));
        Assert.True(stale.Count == 0, string.Join("\n", stale));
    }

    private static byte[] ConfigMapText()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RepoFiles.PathOf("deploy/k8s/configmap.yaml"))));
        var data = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["data"];
        return System.Text.Encoding.UTF8.GetBytes(((YamlScalarNode)data["config.yaml"]).Value!);
    }

    private static LoadedConfig Load(string? label, byte[] content) =>
        ConfigLoader.TryLoad(new ConfigSources(label, []), content, null, out var loaded, out var errors)
            ? loaded!
            : throw new InvalidOperationException(string.Join("\n", errors));

    /// <summary>Every effective value, as the server binds it (defaults filled in), keyed <c>section.key[i].key</c>; plus <c>Logging</c> as configured.</summary>
    private static Dictionary<string, string?> Flatten(LoadedConfig loaded)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        var config = loaded.Config;
        foreach (var (section, value) in new (string, object)[]
                 {
                     ("server", config.Server), ("processing", config.Processing), ("tokenization", config.Tokenization),
                     ("routing", config.Routing), ("catalogue", config.Catalogue), ("telemetry", config.Telemetry), ("memory", config.Memory),
                     ("inspection", config.Inspection), ("admission", config.Admission), ("coalescing", config.Coalescing),
                     ("responses", config.Responses),
                 })
        {
            Walk(section, JsonSerializer.SerializeToNode(value, value.GetType(), options), values);
        }

        foreach (var (key, value) in loaded.Root.GetSection("Logging").AsEnumerable())
        {
            if (value is not null)
            {
                values[key] = value;
            }
        }

        return values;
    }

    private static void Walk(string path, JsonNode? node, Dictionary<string, string?> values)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    Walk($"{path}.{key}", child, values);
                }

                break;
            case JsonArray a:
                values[path + ".count"] = a.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                for (var i = 0; i < a.Count; i++)
                {
                    Walk($"{path}[{i}]", a[i], values);
                }

                break;
            default:
                values[path] = node?.ToJsonString();
                break;
        }
    }

    [Theory]
    [InlineData("examples/traffic/config.yaml")]
    [InlineData("src/ExtProc/Configuration/defaults.yaml")]
    [InlineData("examples/compose/config.yaml")]
    public void TryLoad_ShippedFile_IsValid(string path)
    {
        var valid = ConfigLoader.TryLoad(new ConfigSources(RepoFiles.PathOf(path), []), out _, out var errors);

        Assert.True(valid, string.Join("\n", errors));
    }
}
