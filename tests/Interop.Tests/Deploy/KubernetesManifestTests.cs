using System.Text.Json;

namespace AiSidecar.Interop.Tests.Deploy;

/// <summary>The Kubernetes manifests, the EnvoyFilter and the server's interface agree with each other.</summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> AllYaml => new(YamlFiles.Discover());

    [Theory]
    [MemberData(nameof(AllYaml))]
    public async Task Load_DeployYaml_IsStrictlyValidYaml(string relativePath)
    {
        var documents = await YamlFiles.LoadAsync(relativePath);

        Assert.NotEmpty(documents);
    }

    [Fact]
    public async Task EnvoyFilter_GrpcService_TargetsTheDeployedServiceGrpcPort()
    {
        var service = await YamlFiles.LoadKindAsync("deploy/k8s/service.yaml", "Service");
        var filter = await YamlFiles.LoadKindAsync("istio/EnvoyFilter/extproc.yaml", "EnvoyFilter");
        var grpc = service.GetProperty("spec").GetProperty("ports").EnumerateArray().Single(p => p.Str("name") == "grpc");
        var host = $"{service.Str("metadata", "name")}.{service.Str("metadata", "namespace")}.svc.cluster.local";

        var envoyGrpc = JsonSearch.Filters(filter, "envoy.filters.http.ext_proc").Single()
            .GetProperty("typed_config").GetProperty("grpc_service").GetProperty("envoy_grpc");

        Assert.Equal("grpc", grpc.Str("appProtocol"));
        Assert.Equal("50051", grpc.Str("port"));
        Assert.Equal($"outbound|50051||{host}", envoyGrpc.Str("cluster_name"));
        Assert.Equal(host, envoyGrpc.Str("authority"));
    }

    [Fact]
    public async Task EnvoyFilter_WorkloadSelector_NeverSelectsTheExtProcPods()
    {
        var filter = await YamlFiles.LoadKindAsync("istio/EnvoyFilter/extproc.yaml", "EnvoyFilter");
        var deployment = await YamlFiles.LoadKindAsync("deploy/k8s/deployment.yaml", "Deployment");

        var selector = Labels(filter.GetProperty("spec").GetProperty("workloadSelector"));
        var podLabels = Labels(deployment.GetProperty("spec").GetProperty("template").GetProperty("metadata"));

        Assert.NotEmpty(selector);
        Assert.False(selector.All(l => podLabels.Contains(l)), "the EnvoyFilter would apply to the ext_proc pods themselves");
    }

    [Fact]
    public async Task Deployment_ConfigArgument_PointsIntoTheConfigMapMount()
    {
        var deployment = await YamlFiles.LoadKindAsync("deploy/k8s/deployment.yaml", "Deployment");
        var configMap = await YamlFiles.LoadKindAsync("deploy/k8s/configmap.yaml", "ConfigMap");
        var pod = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec");
        var container = pod.GetProperty("containers").EnumerateArray().Single();

        var args = container.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
        var configPath = args[args.IndexOf("--config") + 1]!;
        var mount = container.GetProperty("volumeMounts").EnumerateArray()
            .Single(m => configPath.StartsWith(m.Str("mountPath") + "/", StringComparison.Ordinal));
        var volume = pod.GetProperty("volumes").EnumerateArray().Single(v => v.Str("name") == mount.Str("name"));

        Assert.Equal("/etc/ai-sidecar/config.yaml", configPath);
        Assert.Equal(configMap.Str("metadata", "name"), volume.Str("configMap", "name"));
        Assert.True(configMap.GetProperty("data").TryGetProperty(Path.GetFileName(configPath), out _));
    }

    [Fact]
    public async Task ConfigMap_MessageTimeout_IsTheEnvoyFiltersMessageTimeout()
    {
        var configMap = await YamlFiles.LoadKindAsync("deploy/k8s/configmap.yaml", "ConfigMap");
        var filter = await YamlFiles.LoadKindAsync("istio/EnvoyFilter/extproc.yaml", "EnvoyFilter");
        var embedded = Path.Combine(Path.GetTempPath(), $"configmap-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(embedded, configMap.GetProperty("data").Str("config.yaml"));
        var server = (await YamlFiles.LoadAsync(embedded)).Single();
        File.Delete(embedded);
        var timeout = filter.GetProperty("spec").GetProperty("configPatches").EnumerateArray()
            .Single(p => p.Str("applyTo") == "HTTP_FILTER").Str("patch", "value", "typed_config", "message_timeout")!;

        // The server answers a held request within 90 % of this; it must know Envoy's real timer.
        Assert.EndsWith("s", timeout, StringComparison.Ordinal);
        var envoyMs = decimal.Parse(timeout[..^1], System.Globalization.CultureInfo.InvariantCulture) * 1000;
        Assert.Equal(envoyMs, server.GetProperty("processing").GetProperty("messageTimeoutMs").GetDecimal());
    }

    private static HashSet<string> Labels(JsonElement owner) =>
        [.. owner.GetProperty("labels").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}")];
}
