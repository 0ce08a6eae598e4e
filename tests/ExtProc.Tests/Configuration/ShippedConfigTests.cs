using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace AiSidecar.ExtProc.Tests.Configuration;

/// <summary>Every server config the repository ships passes the server's own checks.</summary>
public sealed class ShippedConfigTests
{
    [Fact]
    public void TryLoad_KubernetesConfigMap_IsValid()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RepoFiles.PathOf("deploy/k8s/configmap.yaml"))));
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
        var valid = ConfigLoader.TryLoad(new ConfigSources(RepoFiles.PathOf(path), []), out _, out var errors);

        Assert.True(valid, string.Join("\n", errors));
    }
}
