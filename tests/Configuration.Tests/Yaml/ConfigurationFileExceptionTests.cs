using AiSidecar.Configuration.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration.Tests.Yaml;

public sealed class ConfigurationFileExceptionTests
{
    [Fact]
    public void Describe_YamlError_IsTheFileLineColumnMessage()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Configs.Yaml("- a\n"));

        Assert.Equal("config.yaml:1:1: the root of a config file must be a mapping (key: value), found a list", ConfigurationFileException.Describe(error));
    }

    [Fact]
    public void Describe_JsonSyntaxError_NamesFileLineAndColumn()
    {
        using var files = new TempFiles();
        var path = files.Write("appsettings.json", "{\n  \"a\": 1,\n  \"b\" 2\n}\n");

        var error = Assert.ThrowsAny<Exception>(() => new ConfigurationBuilder().AddJsonFile(path).Build());

        Assert.StartsWith($"{path}:3:7: not valid JSON: ", ConfigurationFileException.Describe(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_JsonDuplicateKey_NamesFileAndKey()
    {
        using var files = new TempFiles();
        var path = files.Write("appsettings.json", "{ \"a\": 1, \"A\": 2 }");

        var error = Assert.ThrowsAny<Exception>(() => new ConfigurationBuilder().AddJsonFile(path).Build());

        Assert.Equal($"{path}: A duplicate key 'A' was found.", ConfigurationFileException.Describe(error));
    }
}
