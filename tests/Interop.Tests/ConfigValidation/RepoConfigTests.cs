using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.ConfigValidation;

/// <summary>Every Envoy config in the repository parses strictly against Envoy's API.</summary>
public sealed class RepoConfigTests
{
    public static TheoryData<string> Configs => new(EnvoyConfigFiles.Discover(RepoPaths.Root));

    [Fact]
    public void Discover_Repository_FindsBootstrapAndEnvoyFilter()
    {
        var files = EnvoyConfigFiles.Discover(RepoPaths.Root);

        Assert.Contains("envoy/envoy.yaml", files);
        Assert.Contains("istio/EnvoyFilter/extproc.yaml", files);
        Assert.Contains("examples/ratelimit/envoy.yaml", files);
        Assert.DoesNotContain("envoy/docker-compose.yaml", files);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task Validate_RepositoryConfig_Passes(string relativePath)
    {
        var result = await EnvoyApiTool.ValidateAsync(Path.Combine(RepoPaths.Root, relativePath));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("ok ", result.StdOut, StringComparison.Ordinal);
    }
}
