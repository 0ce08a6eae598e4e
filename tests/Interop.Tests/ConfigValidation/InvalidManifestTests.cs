using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.ConfigValidation;

/// <summary>
/// The manifest validator rejects what the API server (or Istio's and Argo's CRD schemas) would reject, unknown
/// fields included, and names the JSON path of the problem.
/// </summary>
public sealed class InvalidManifestTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("manifest-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("virtualservice")]
    [InlineData("destinationrule")]
    [InlineData("analysistemplate")]
    [InlineData("deployment")]
    [InlineData("envoyfilter")]
    public async Task Validate_UnalteredTemplate_Passes(string template)
    {
        var run = await ValidateAsync(Template(template), string.Empty, string.Empty);

        Assert.True(run.Process.ExitCode == 0, run.ToString());
        var document = Assert.Single(run.Documents);
        Assert.True(document.Ok, run.ToString());
        Assert.Empty(document.Errors);
    }

    [Theory]
    // Misspelt or misplaced (misindented) fields: the CRD and OpenAPI schemas allow unknown fields, the strict pass does not.
    [InlineData("virtualservice", "subset: canary", "subsetz: canary", "$.spec.http[0].route[0].destination.subsetz", "unknownField")]
    [InlineData("virtualservice", "exact: canary", "exactt: canary", "$.spec.http[0].match[0].headers.x-ai-variant.exactt", "unknownField")]
    [InlineData("virtualservice", "            port: { number: 8000 }", "          port: { number: 8000 }", "$.spec.http[0].route[0].port", "unknownField")]
    [InlineData("virtualservice", "number: 8000", "number: eighty", "$.spec.http[0].route[0].destination.port.number", "type")]
    // Wrong types.
    [InlineData("destinationrule", "consecutive5xxErrors: 3", "consecutive5xxErrors: three", "$.spec.trafficPolicy.outlierDetection.consecutive5xxErrors", "type")]
    [InlineData("destinationrule", "interval: 10s", "interval: 10", "$.spec.trafficPolicy.outlierDetection.interval", "type")]
    [InlineData("destinationrule", "version: v2", "version: 2", "$.spec.subsets[0].labels.version", "type")]
    [InlineData("destinationrule", "subsets:", "subset:", "$.spec.subset", "unknownField")]
    // Missing required fields.
    [InlineData("analysistemplate", "- name: error-rate\n      interval: 1m", "- interval: 1m", "$.spec.metrics[0].name", "required")]
    [InlineData("analysistemplate", "- name: model", "- value: x", "$.spec.args[0].name", "required")]
    [InlineData("analysistemplate", "failureLimit: 1", "failureLimits: 1", "$.spec.metrics[0].failureLimits", "unknownField")]
    [InlineData("analysistemplate", "prometheus:", "prometheous:", "$.spec.metrics[0].provider.prometheous", "unknownField")]
    // Core Kubernetes.
    [InlineData("deployment", "imagePullPolicy: IfNotPresent", "imagePullPolicyy: IfNotPresent", "$.spec.template.spec.containers[0].imagePullPolicyy", "unknownField")]
    [InlineData("deployment", "imagePullPolicy: IfNotPresent", "imagePullPolicy: Sometimes", "$.spec.template.spec.containers[0].imagePullPolicy", "enum")]
    [InlineData("deployment", "replicas: 2", "replicas: two", "$.spec.replicas", "type")]
    [InlineData("deployment", "selector:", "selectr:", "$.spec.selector", "required")]
    [InlineData("deployment", "- name: extproc", "- nmae: extproc", "$.spec.template.spec.containers[0].name", "required")]
    [InlineData("deployment", "emptyDir: { sizeLimit: 64Mi }", "emptyDir: { sizeLimit: 64Mi, medium: Memory, size: 1 }", "$.spec.template.spec.volumes[0].emptyDir.size", "unknownField")]
    // YAML 1.1 as the API server reads it: an unquoted yes is a boolean, not the string an env value must be.
    [InlineData("deployment", "value: \"1\"", "value: yes", "$.spec.template.spec.containers[0].env[0].value", "type")]
    // Istio's EnvoyFilter schema (its patch values are Envoy's, checked by InvalidConfigTests).
    [InlineData("envoyfilter", "applyTo: LISTENER", "applyTo: LISTENERS", "$.spec.configPatches[1].applyTo", "enum")]
    [InlineData("envoyfilter", "configPatches:", "configPatch:", "$.spec.configPatch", "unknownField")]
    // A kind without a model is an error, never a pass.
    [InlineData("deployment", "kind: Deployment", "kind: Deploymnt", "$", "document")]
    [InlineData("virtualservice", "networking.istio.io/v1", "networking.istio.io/v2", "$", "document")]
    public async Task Validate_AlteredTemplate_FailsNamingThePath(string template, string from, string to, string path, string keyword)
    {
        var run = await ValidateAsync(Template(template), from, to);

        Assert.True(run.Process.ExitCode == 1, run.ToString());
        var document = Assert.Single(run.Documents);
        Assert.False(document.Ok, run.ToString());
        Assert.Contains(document.Errors, e => e.Path == path && e.Keyword == keyword);
    }

    [Fact]
    public async Task Validate_KindWithoutModel_IsReportedNotPassed()
    {
        var run = await ValidateYamlAsync("apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n");

        Assert.Equal(1, run.Process.ExitCode);
        var error = Assert.Single(Assert.Single(run.Documents).Errors);
        Assert.Contains("no schema for example.com/v1 Widget", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Kustomization_IsSkippedAndSaysWhy()
    {
        var run = await ValidateYamlAsync("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n");

        Assert.Equal(0, run.Process.ExitCode);
        var document = Assert.Single(run.Documents);
        Assert.True(document.Ok);
        Assert.Contains("no schema", document.Skipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MultiDocumentFile_ReportsEveryDocument()
    {
        var broken = ManifestTemplates.DestinationRule.Replace("subsets:", "subset:", StringComparison.Ordinal);

        var run = await ValidateYamlAsync($"{ManifestTemplates.VirtualService}\n---\n{broken}\n");

        Assert.Equal(1, run.Process.ExitCode);
        Assert.Equal([0, 1], run.Documents.Select(d => d.Document));
        Assert.Equal([true, false], run.Documents.Select(d => d.Ok));
        Assert.Equal(["VirtualService", "DestinationRule"], run.Documents.Select(d => d.Kind));
    }

    [Fact]
    public async Task Validate_DuplicateKey_IsAYamlError()
    {
        var run = await ValidateYamlAsync(ManifestTemplates.Deployment.Replace("replicas: 2", "replicas: 2\n  replicas: 3", StringComparison.Ordinal));

        Assert.Equal(1, run.Process.ExitCode);
        Assert.Contains(Assert.Single(run.Documents).Errors, e => e.Keyword == "yaml");
    }

    private static string Template(string name) => name switch
    {
        "virtualservice" => ManifestTemplates.VirtualService,
        "destinationrule" => ManifestTemplates.DestinationRule,
        "analysistemplate" => ManifestTemplates.AnalysisTemplate,
        "deployment" => ManifestTemplates.Deployment,
        "envoyfilter" => ConfigTemplates.EnvoyFilter,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private Task<ManifestRun> ValidateAsync(string template, string from, string to)
    {
        var yaml = from.Length == 0 ? template : template.Replace(from, to, StringComparison.Ordinal);
        Assert.True(from.Length == 0 || yaml != template, $"template lacks '{from}'");
        return ValidateYamlAsync(yaml);
    }

    private async Task<ManifestRun> ValidateYamlAsync(string yaml)
    {
        var file = Path.Combine(_dir.FullName, "manifest.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await ManifestSchemaTool.ValidateAsync(file);
    }
}
