using System.Text.Json;

namespace AiSidecar.Interop.Tests.Deploy;

/// <summary>
/// One name and tag per shipped image (<c>ai-sidecar/&lt;component&gt;:&lt;version&gt;</c>): the build each Dockerfile
/// documents, the docker compose service built from it, and the kustomize <c>images:</c> entry and workload that run it.
/// </summary>
public sealed class ImageNameTests
{
    private const string ComposePath = "envoy/docker-compose.yaml";
    private static readonly string[] Kustomizations = ["deploy/k8s/kustomization.yaml", "deploy/k8s/gpu-agent/kustomization.yaml"];

    public static TheoryData<string> Dockerfiles => new(Dockerfile.Discover());

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public async Task Compose_ServiceBuiltFromTheDockerfile_TagsTheDocumentedImageFromTheRepositoryRoot(string path)
    {
        var (name, tag) = Dockerfile.Load(path).Image();
        var services = (await YamlFiles.LoadAsync(ComposePath)).Single().GetProperty("services");

        var service = Assert.Single(services.EnumerateObject(), s => s.Value.Str("build", "dockerfile") == path).Value;

        Assert.Equal("..", service.Str("build", "context")); // relative to envoy/: the repository root, as the Dockerfile says
        Assert.Equal($"{name}:{tag}", service.Str("image"));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public async Task Kustomize_ImagesEntry_TagsTheImageItsWorkloadRuns(string path)
    {
        var (name, tag) = Dockerfile.Load(path).Image();
        var entries = new List<(string Kustomization, JsonElement Entry)>();
        foreach (var kustomization in Kustomizations)
        {
            var document = (await YamlFiles.LoadAsync(kustomization)).Single();
            entries.AddRange(document.GetProperty("images").EnumerateArray().Where(e => e.Str("name") == name).Select(e => (kustomization, e)));
        }

        var (owner, entry) = Assert.Single(entries);
        var images = await WorkloadImagesAsync(owner);

        Assert.Equal(tag, entry.Str("newTag"));
        Assert.Contains($"{name}:{tag}", images);
    }

    [Fact]
    public async Task Kustomize_EveryImagesEntry_IsAnImageTheRepositoryBuilds()
    {
        var built = Dockerfile.Discover().Select(p => Dockerfile.Load(p).Image().Name).ToHashSet();

        foreach (var kustomization in Kustomizations)
        {
            var document = (await YamlFiles.LoadAsync(kustomization)).Single();
            Assert.All(document.GetProperty("images").EnumerateArray(), e => Assert.Contains(e.Str("name")!, built));
            Assert.All(await WorkloadImagesAsync(kustomization), image => Assert.Contains(image[..image.LastIndexOf(':')], built));
        }
    }

    [Fact]
    public void Tags_EveryImage_CarriesTheSameVersion()
    {
        var tags = Dockerfile.Discover().Select(p => Dockerfile.Load(p).Image().Tag).Distinct();

        Assert.Single(tags);
    }

    /// <summary>The container images of every workload among the kustomization's resources.</summary>
    private static async Task<List<string>> WorkloadImagesAsync(string kustomization)
    {
        var folder = Path.GetDirectoryName(kustomization)!;
        var images = new List<string>();
        foreach (var resource in (await YamlFiles.LoadAsync(kustomization)).Single().GetProperty("resources").EnumerateArray())
        {
            foreach (var document in await YamlFiles.LoadAsync($"{folder}/{resource.GetString()}"))
            {
                images.AddRange(JsonSearch.Objects(document)
                    .Where(o => o.TryGetProperty("containers", out var c) && c.ValueKind == JsonValueKind.Array)
                    .SelectMany(o => o.GetProperty("containers").EnumerateArray())
                    .Select(c => c.Str("image")!));
            }
        }

        return images;
    }
}
