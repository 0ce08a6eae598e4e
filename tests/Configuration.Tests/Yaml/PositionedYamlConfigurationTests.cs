using System.Text;
using AiSidecar.Configuration.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration.Tests.Yaml;

public sealed class PositionedYamlConfigurationTests
{
    [Fact]
    public void Load_NestedMappingsAndLists_FlattensToColonKeys()
    {
        var configuration = Configs.Yaml("""
            routing:
              ranges:
                - name: small
                  maxTokens: 1000
                - name: large
              models: [a, b]
            text: |
              two
              lines
            """);

        Assert.Equal("small", configuration["routing:ranges:0:name"]);
        Assert.Equal("1000", configuration["routing:ranges:0:maxTokens"]);
        Assert.Equal("large", configuration["routing:ranges:1:name"]);
        Assert.Equal("b", configuration["routing:models:1"]);
        Assert.Equal("two\nlines", configuration["text"]);
    }

    [Fact]
    public void Load_NullForms_KeysPresentWithNullValues()
    {
        var configuration = Configs.Yaml("""
            tilde: ~
            word: null
            empty:
            emptyMap: {}
            emptyList: []
            quoted: "null"
            blank: ''
            """);
        var provider = configuration.Providers.Single();

        foreach (var key in new[] { "tilde", "word", "empty", "emptyMap", "emptyList" })
        {
            Assert.True(provider.TryGet(key, out var value), key);
            Assert.Null(value);
        }

        Assert.Equal("null", configuration["quoted"]);
        Assert.Equal("", configuration["blank"]);
    }

    [Fact]
    public void TryGetPosition_KeysAndListElements_GiveKeyLineAndColumn()
    {
        using var files = new TempFiles();
        var configuration = Configs.Yaml(files, """
            server:
              grpcPort: 50051
            routing:
              ranges:
                - name: small
                  maxTokens: 1000
            """);
        var positions = Assert.IsAssignableFrom<IConfigurationPositions>(configuration.Providers.Single());

        Assert.True(positions.TryGetPosition("SERVER:GRPCPORT", out var line, out var column));
        Assert.Equal((2, 3), (line, column));
        Assert.True(positions.TryGetPosition("routing:ranges:0", out line, out column));
        Assert.Equal((5, 7), (line, column));
        Assert.True(positions.TryGetPosition("routing:ranges:0:maxTokens", out line, out column));
        Assert.Equal((6, 7), (line, column));
        Assert.False(positions.TryGetPosition("routing:missing", out _, out _));
        Assert.Equal(Path.Combine(files.Directory, "config.yaml"), positions.SourceName);
    }

    [Fact]
    public void Load_SyntaxError_ThrowsWithFileLineAndColumn()
    {
        using var files = new TempFiles();
        var path = files.Write("bad.yaml", "server:\n  grpcPort: 1: 2\n");

        var error = Assert.Throws<ConfigurationFileException>(() => new ConfigurationBuilder().AddPositionedYaml(File.ReadAllBytes(path), path).Build());

        Assert.Equal(path, error.SourceName);
        Assert.Equal((2, 14), (error.Line, error.Column));
        Assert.StartsWith($"{path}:2:14: not valid YAML: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnclosedFlowList_ThrowsAtTheLastGoodPosition()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Configs.Yaml("server:\n  ports: [1, 2\nrouting: {}\n"));

        Assert.Equal("config.yaml:2:12: not valid YAML after this point (check brackets and quotes)", error.Message);
    }

    [Theory]
    [InlineData("!![K")] // an invalid tag: YamlDotNet throws ArgumentException
    [InlineData(" : |")] // a value where a key belongs: ArgumentException from its representation model
    [InlineData(" : }")]
    public void Load_InputYamlDotNetRejectsWithAnArgumentException_ThrowsCleanError(string yaml)
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Configs.Yaml(yaml));

        Assert.Equal("not valid YAML after this point (check brackets and quotes)", error.Reason);
    }

    [Fact]
    public void Load_RootBlockScalar_QuotesItOnOneLine()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Configs.Yaml("|\nd\n"));

        Assert.Equal("config.yaml:1:1: the root of a config file must be a mapping (key: value), found the value 'd\\n'", error.Message);
    }

    [Fact]
    public void Load_RootLongValue_QuotesItsStart()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Configs.Yaml(new string('x', 100)));

        Assert.EndsWith($"found the value '{new string('x', 40)}…'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- a\n- b\n", "found a list")]
    [InlineData("just text\n", "found the value 'just text'")]
    public void Load_RootNotAMapping_ThrowsCleanError(string yaml, string found)
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Configs.Yaml(yaml));

        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Equal($"config.yaml:1:1: the root of a config file must be a mapping (key: value), {found}", error.Message);
    }

    [Fact]
    public void Load_TwoDocuments_ThrowsAtSecondDocument()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Configs.Yaml("a: 1\n---\nb: 2\n"));

        Assert.Equal(3, error.Line);
        Assert.Contains("more than one YAML document", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("server:\n  grpcPort: 1\n  GrpcPort: 2\n", "duplicate key 'GrpcPort' (first at line 2); keys are case-insensitive")]
    [InlineData("server:\n  grpcPort: 1\n  grpcPort: 2\n", "duplicate key 'grpcPort'")]
    public void Load_DuplicateKey_ThrowsAtSecondKey(string yaml, string reason)
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Configs.Yaml(yaml));

        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Equal(reason, error.Reason);
    }

    [Theory]
    [InlineData("? [a, b]\n: 1\n", "a key must be plain text, found a list")]
    [InlineData("\"a:b\": 1\n", "the key 'a:b' contains ':', which configuration reads as a section separator")]
    [InlineData("~: 1\n", "a key must be plain text, found the value '~'")]
    public void Load_KeyThatIsNoName_Throws(string yaml, string reason)
    {
        var error = Assert.Throws<ConfigurationFileException>(() => Configs.Yaml(yaml));

        Assert.Equal(reason, error.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    public void Load_EmptyDocument_GivesNoKeys(string yaml)
    {
        var configuration = Configs.Yaml(yaml);

        Assert.Empty(configuration.AsEnumerable());
    }

    [Fact]
    public void Load_Alias_CopiesTheAnchoredMapping()
    {
        var configuration = Configs.Yaml("base: &b\n  pool: p\ncopy: *b\n");

        Assert.Equal("p", configuration["copy:pool"]);
    }

    [Fact]
    public void AddPositionedYaml_ContentWithByteOrderMark_LoadsUnderTheGivenName()
    {
        var content = Encoding.UTF8.GetBytes("\uFEFFa:\n  b: 1\n");

        var configuration = new ConfigurationBuilder().AddPositionedYaml(content, "embedded default").Build();
        var positions = Assert.IsAssignableFrom<IConfigurationPositions>(configuration.Providers.Single());

        Assert.Equal("1", configuration["a:b"]);
        Assert.Equal("embedded default", positions.SourceName);
        Assert.True(positions.TryGetPosition("a:b", out var line, out _));
        Assert.Equal(2, line);
    }
}
