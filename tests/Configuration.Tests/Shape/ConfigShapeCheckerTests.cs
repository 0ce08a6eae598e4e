using AiSidecar.Configuration.Tests.Infrastructure;
using AiSidecar.Configuration.Tests.Samples;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration.Tests.Shape;

public sealed class ConfigShapeCheckerTests
{
    [Fact]
    public void Check_MisspeltSection_ReportsUnknownKeyWithSuggestionAndAllowedKeys()
    {
        var configuration = Configs.Yaml("routing:\n  registy:\n    models: []\n");

        var issue = Assert.Single(ShapeChecks.Of<RoutingSample>(configuration, "routing"));

        Assert.Equal("routing.registy", issue.Path);
        Assert.Equal("unknown key (did you mean 'registry'?); allowed: headers, ranges, models, registry, reloadCheckSeconds", issue.Message);
    }

    [Fact]
    public void Check_MisspeltScalarKey_SuggestsTheProperty()
    {
        var configuration = Configs.Yaml("server:\n  grpcPrt: 50051\n");

        var issue = Assert.Single(ShapeChecks.Of<ServerSample>(configuration, "server"));

        Assert.Equal("server.grpcPrt", issue.Path);
        Assert.StartsWith("unknown key (did you mean 'grpcPort'?); allowed: grpcAddress, grpcPort, enabled,", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MisspeltKeyFarFromAnyProperty_ListsAllowedKeysWithoutSuggestion()
    {
        var configuration = Configs.Yaml("tokenization:\n  whatever: 1\n");

        var issue = Assert.Single(ShapeChecks.Of<TokenizationSample>(configuration, "tokenization"));

        Assert.Equal("unknown key; allowed: encoding, loading, bodyMode, models", issue.Message);
    }

    [Fact]
    public void Check_KeysInAnyCase_MatchLikeTheBinder()
    {
        var configuration = Configs.Yaml("Server:\n  GRPCPORT: 1\n  grpcaddress: 127.0.0.1\n");

        Assert.Empty(ShapeChecks.Of<ServerSample>(configuration, "server"));
    }

    [Fact]
    public void Check_ListWhereSingleValueExpected_ReportsExpectedSingleValue()
    {
        var configuration = Configs.Yaml("routing:\n  ranges:\n    - name: small\n      maxTokens: [1000]\n");

        var issue = Assert.Single(ShapeChecks.Of<RoutingSample>(configuration, "routing"));

        Assert.Equal("routing.ranges[0].maxTokens", issue.Path);
        Assert.Equal("expected a single value (a whole number), found a list", issue.Message);
    }

    [Fact]
    public void Check_MappingWhereSingleValueExpected_ReportsFoundMapping()
    {
        var configuration = Configs.Yaml("server:\n  grpcPort:\n    value: 1\n");

        var issue = Assert.Single(ShapeChecks.Of<ServerSample>(configuration, "server"));

        Assert.Equal("expected a single value (a whole number), found a mapping", issue.Message);
    }

    [Fact]
    public void Check_UnconvertibleValueInListElement_IsReportedNotDropped()
    {
        var configuration = Configs.Yaml("""
            routing:
              registry:
                models:
                  - name: m
                    versions:
                      - name: v1
                        weight: 90
                      - name: v2
                        weight: lots
            """);

        var issue = Assert.Single(ShapeChecks.Of<RoutingSample>(configuration, "routing"));
        var plain = configuration.GetSection("routing").Get<RoutingSample>()!;

        Assert.Equal("routing.registry.models[0].versions[1].weight", issue.Path);
        Assert.Equal("expected a whole number, found 'lots'", issue.Message);
        // What the plain binder does with the same file: the version vanishes without a word.
        Assert.Single(plain.Registry.Models[0].Versions);
    }

    [Fact]
    public void Check_SingleValueWhereListExpected_ReportsExpectedList()
    {
        var configuration = Configs.Yaml("routing:\n  models: gpt-4o\n");

        var issue = Assert.Single(ShapeChecks.Of<RoutingSample>(configuration, "routing"));

        Assert.Equal(("routing.models", "expected a list, found the single value 'gpt-4o'"), (issue.Path, issue.Message));
    }

    [Fact]
    public void Check_MappingWhereListExpected_ReportsTheKey()
    {
        var configuration = Configs.Yaml("routing:\n  ranges:\n    name: small\n");

        var issue = Assert.Single(ShapeChecks.Of<RoutingSample>(configuration, "routing"));

        Assert.Equal(("routing.ranges", "expected a list, found a mapping (key 'name')"), (issue.Path, issue.Message));
    }

    [Fact]
    public void Check_SingleValueWhereMappingExpected_ReportsExpectedMapping()
    {
        var configuration = Configs.Yaml("routing:\n  registry: on\n");

        var issue = Assert.Single(ShapeChecks.Of<RoutingSample>(configuration, "routing"));

        Assert.Equal(("routing.registry", "expected a mapping, found the single value 'on'"), (issue.Path, issue.Message));
    }

    [Fact]
    public void Check_ListWhereMappingExpected_ReportsFoundList()
    {
        var configuration = Configs.Yaml("routing:\n  headers: [a, b]\nserver:\n  labels: [a]\n");

        var routing = Assert.Single(ShapeChecks.Of<RoutingSample>(configuration, "routing"));
        var server = Assert.Single(ShapeChecks.Of<ServerSample>(configuration, "server"));

        Assert.Equal(("routing.headers", "expected a mapping, found a list"), (routing.Path, routing.Message));
        Assert.Equal(("server.labels", "expected a mapping of names to values, found a list"), (server.Path, server.Message));
    }

    [Fact]
    public void Check_ListIndexGapFromAnOverride_ReportsTheIndex()
    {
        var configuration = Configs.Memory(("routing:ranges:0:name", "a"), ("routing:ranges:1:name", "b"), ("routing:ranges:5:name", "c"));

        var issue = Assert.Single(ShapeChecks.Of<RoutingSample>(configuration, "routing"));

        Assert.Equal("routing.ranges[5]", issue.Path);
        Assert.Equal("list index 5 leaves a gap: the list has 2 element(s), so the next index is 2", issue.Message);
    }

    [Fact]
    public void Check_PlainEnumValueNotAllowed_ListsAllowedValues()
    {
        var configuration = Configs.Yaml("tokenization:\n  loading: Eagre\n");

        var issue = Assert.Single(ShapeChecks.Of<TokenizationSample>(configuration, "tokenization"));

        Assert.Equal("expected one of Lazy, Eager; found 'Eagre' (did you mean 'Eager'?)", issue.Message);
    }

    [Fact]
    public void Check_PlainEnumNumber_IsRefusedThoughTheConverterTakesIt()
    {
        var configuration = Configs.Yaml("tokenization:\n  loading: 7\n");

        var issue = Assert.Single(ShapeChecks.Of<TokenizationSample>(configuration, "tokenization"));

        Assert.Equal("expected one of Lazy, Eager; found '7'", issue.Message);
    }

    [Theory]
    [InlineData("enabled", "yes", "expected true or false, found 'yes'")]
    [InlineData("grpcPort", "50k", "expected a whole number, found '50k'")]
    [InlineData("grpcPort", "99999999999", "expected a whole number from -2147483648 to 2147483647, found '99999999999'")]
    [InlineData("priority", "300", "expected a whole number from 0 to 255, found '300'")]
    [InlineData("maxBytes", "1.5", "expected a whole number, found '1.5'")]
    [InlineData("ratio", "half", "expected a number, found 'half'")]
    [InlineData("price", "cheap", "expected a number, found 'cheap'")]
    [InlineData("drainTimeout", "5s", "expected a duration like 00:00:05, found '5s'")]
    [InlineData("drainTimeout", "5", "expected a duration like 00:00:05, found '5' (a bare number would be read as days)")]
    [InlineData("endpoint", "collector", "expected an absolute URI like http://host:8080/path, found 'collector'")]
    [InlineData("endpoint", "/relative", "expected an absolute URI like http://host:8080/path, found '/relative'")]
    public void Check_ValueThatDoesNotConvert_NamesTheExpectedType(string key, string value, string message)
    {
        var configuration = Configs.Memory(($"server:{key}", value));

        var issue = Assert.Single(ShapeChecks.Of<ServerSample>(configuration, "server"));

        Assert.Equal(($"server.{key}", message), (issue.Path, issue.Message));
    }

    [Theory]
    [InlineData("enabled", "True")]
    [InlineData("grpcPort", "-1")]
    [InlineData("ratio", "0.25")]
    [InlineData("price", "")]
    [InlineData("drainTimeout", "00:00:05")]
    [InlineData("drainTimeout", "1.00:00:00")]
    [InlineData("endpoint", "http://collector:4317")]
    [InlineData("loading", "eager")]
    [InlineData("ports:0", "80")]
    [InlineData("hosts:0", "a")]
    [InlineData("labels:team", "ml")]
    [InlineData("extra:anything:nested", "x")]
    public void Check_ValueThatConverts_NoIssue(string key, string value)
    {
        var configuration = Configs.Memory(($"server:{key}", value));

        Assert.Empty(ShapeChecks.Of<ServerSample>(configuration, "server"));
    }

    [Fact]
    public void Check_DictionaryOfObjects_ChecksEveryValue()
    {
        var configuration = Configs.Yaml("server:\n  named:\n    a:\n      name: a\n      maxTokns: 3\n    b:\n      maxTokens: x\n");

        var issues = ShapeChecks.Of<ServerSample>(configuration, "server");

        Assert.Equal(["server.named.a.maxTokns", "server.named.b.maxTokens"], issues.Select(i => i.Path));
        Assert.Equal("expected a whole number, found 'x'", issues[1].Message);
    }

    [Fact]
    public void Check_NullableStruct_ChecksTheStructsProperties()
    {
        var configuration = Configs.Yaml("limits:\n  window:\n    min: low\n    mx: 3\n");

        var issues = ShapeChecks.Of<LimitsSample>(configuration, "limits");

        Assert.Equal(
            [
                new ConfigIssue("limits.window.min", "expected a whole number, found 'low'"),
                new ConfigIssue("limits.window.mx", "unknown key (did you mean 'max'?); allowed: min, max"),
            ],
            issues);
    }

    [Fact]
    public void Check_ListOfScalarsWithAMapping_ReportsTheElement()
    {
        var configuration = Configs.Yaml("routing:\n  models:\n    - a\n    - name: b\n");

        var issue = Assert.Single(ShapeChecks.Of<RoutingSample>(configuration, "routing"));

        Assert.Equal(("routing.models[1]", "expected a single value (text), found a mapping"), (issue.Path, issue.Message));
    }

    [Fact]
    public void Check_MovedKey_ReportsTheMoveInsteadOfUnknownKey()
    {
        var moved = new Dictionary<string, string>
        {
            ["routing.registry"] = "moved: the registry is the top-level section 'registry'",
            ["routing.ranges[*].tokens"] = "renamed to maxTokens",
        };
        var configuration = Configs.Yaml("routing:\n  registry:\n    models: []\n  ranges:\n    - name: a\n    - name: b\n      tokens: 5\n");

        var issues = ShapeChecks.Of<RoutingSample>(configuration, "routing", moved);

        Assert.Equal(
            [new ConfigIssue("routing.ranges[1].tokens", "renamed to maxTokens"), new ConfigIssue("routing.registry", "moved: the registry is the top-level section 'registry'")],
            issues);
    }

    [Fact]
    public void CheckSections_UnknownTopLevelKeys_AreReported()
    {
        var configuration = Configs.Memory(("routing:models:0", "a"), ("Logging:LogLevel:Default", "Warning"), ("urls", "http://+:80"), ("routng:x", "1"));
        var issues = new List<ConfigIssue>();

        ConfigShapeChecker.CheckSections(configuration, ["routing", "Logging"], issues);

        Assert.Equal(
            [new ConfigIssue("routng", "unknown key (did you mean 'routing'?); allowed: routing, Logging"), new ConfigIssue("urls", "unknown key; allowed: routing, Logging")],
            issues);
    }
}
