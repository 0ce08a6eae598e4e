using AiSidecar.ExtProc.Configuration;
using YamlDotNet.RepresentationModel;

namespace AiSidecar.ExtProc.Tests.Configuration;

/// <summary>Every server config the repository ships passes the server's own checks.</summary>
public sealed class ShippedConfigTests
{
    private static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ExtProc.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("The repository root was not found.");
        }
    }

    [Fact]
    public void TryLoad_KubernetesConfigMap_IsValid()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RepoRoot, "deploy", "k8s", "configmap.yaml"))));
        var data = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["data"];
        var config = ((YamlScalarNode)data["config.yaml"]).Value!;

        var valid = ConfigLoader.TryLoad(new ConfigSources("configmap.yaml", []), System.Text.Encoding.UTF8.GetBytes(config), null, out _, out var errors);

        Assert.True(valid, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("examples/traffic/config.yaml")]
    [InlineData("src/ExtProc/Configuration/defaults.yaml")]
    public void TryLoad_ShippedFile_IsValid(string path)
    {
        var valid = ConfigLoader.TryLoad(new ConfigSources(Path.Combine(RepoRoot, path), []), out _, out var errors);

        Assert.True(valid, string.Join("\n", errors));
    }
}
