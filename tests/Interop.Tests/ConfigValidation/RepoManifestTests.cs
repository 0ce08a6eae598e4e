using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.ConfigValidation;

/// <summary>Every Kubernetes, Istio and Argo Rollouts manifest in the repository matches its API schema.</summary>
public sealed class RepoManifestTests
{
    public static TheoryData<string> Manifests => new(ManifestFiles.Discover(RepoPaths.Root));

    [Fact]
    public void Discover_Repository_FindsEveryManifestFolder()
    {
        var files = ManifestFiles.Discover(RepoPaths.Root);

        Assert.Contains("istio/VirtualService/model-variants.yaml", files);
        Assert.Contains("istio/DestinationRule/model-variants.yaml", files);
        Assert.Contains("istio/Rollouts/analysis-template.yaml", files);
        Assert.Contains("istio/EnvoyFilter/extproc.yaml", files);
        Assert.Contains("deploy/k8s/deployment.yaml", files);
        Assert.Contains("deploy/k8s/gpu-agent/daemonset.yaml", files);
        Assert.Contains("deploy/k8s/kustomization.yaml", files);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public async Task Validate_RepositoryManifest_MatchesItsApiSchema(string relativePath)
    {
        var run = await ManifestSchemaTool.ValidateAsync(Path.Combine(RepoPaths.Root, relativePath));

        Assert.True(run.Process.ExitCode == 0, run.ToString());
        Assert.NotEmpty(run.Documents);
        Assert.All(run.Documents, d => Assert.True(d.Ok && d.Errors.Count == 0, run.ToString()));
        if (ManifestFiles.IsKustomization(relativePath))
        {
            Assert.All(run.Documents, d => Assert.Contains("Kustomization", d.Skipped, StringComparison.Ordinal));
        }
        else
        {
            Assert.All(run.Documents, d => Assert.Null(d.Skipped));
        }
    }
}
