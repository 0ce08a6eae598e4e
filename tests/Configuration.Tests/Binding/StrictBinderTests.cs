using AiSidecar.Configuration.Tests.Infrastructure;
using AiSidecar.Configuration.Tests.Samples;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration.Tests.Binding;

public sealed class StrictBinderTests
{
    [Fact]
    public void Bind_ValidSection_ReturnsBoundOptions()
    {
        var configuration = Configs.Yaml("""
            routing:
              ranges:
                - name: small
                  maxTokens: 1000
                - name: large
              registry:
                models:
                  - name: m
                    versions: [{name: a, weight: 60}, {name: b, weight: 40}]
            """);
        var issues = new List<ConfigIssue>();

        var options = StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);

        Assert.Empty(issues);
        Assert.NotNull(options);
        Assert.Equal([1000, null], options.Ranges.Select(r => r.MaxTokens));
        Assert.Equal(40, options.Registry.Models[0].Versions[1].Weight);
    }

    [Fact]
    public void Bind_MissingSection_ReturnsDefaults()
    {
        var issues = new List<ConfigIssue>();

        var options = StrictBinder.Bind<RoutingSample>(Configs.Yaml("other: 1\n"), "routing", issues);

        Assert.Empty(issues);
        Assert.Equal(5, options!.ReloadCheckSeconds);
    }

    /// <summary>Found by fuzzing the server's config loader (docs/fuzzing.md): the null reached its validators, which threw.</summary>
    [Fact]
    public void Bind_KeyWithNoValueForANonNullableProperty_IsRequiredAtThatKey()
    {
        var issues = new List<ConfigIssue>();

        var options = StrictBinder.Bind<RoutingSample>(Configs.Yaml("routing:\n  ranges:\n    - { name: small, pool }\n"), "routing", issues);

        Assert.Null(options);
        Assert.Equal([new ConfigIssue("routing.ranges[0].pool", "is required (the key is written with no value)")], issues);
    }

    [Fact]
    public void Bind_KeyWithNoValueForANullableProperty_IsNull()
    {
        var issues = new List<ConfigIssue>();

        var options = StrictBinder.Bind<RoutingSample>(Configs.Yaml("routing:\n  ranges:\n    - { name: small, maxTokens }\n"), "routing", issues);

        Assert.Empty(issues);
        Assert.Null(options!.Ranges[0].MaxTokens);
    }

    [Fact]
    public void Bind_RangeFailureInNestedListElement_ReportsTheExactPath()
    {
        var configuration = Configs.Yaml("""
            routing:
              registry:
                models:
                  - name: a
                    versions: [{name: v1, weight: 100}]
                  - name: b
                    versions:
                      - name: v1
                        weight: 150
                      - name: v2
                        weight: -50
            """);
        var issues = new List<ConfigIssue>();

        var options = StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);

        Assert.Null(options);
        Assert.Equal(
            [
                new ConfigIssue("routing.registry.models[1].versions[0].weight", "must be from 0 to 100 (is 150)"),
                new ConfigIssue("routing.registry.models[1].versions[1].weight", "must be from 0 to 100 (is -50)"),
            ],
            issues);
    }

    [Fact]
    public void Bind_RequiredAndPattern_ReportShortMessages()
    {
        var configuration = Configs.Yaml("routing:\n  headers:\n    Model: X_Model\n  ranges:\n    - pool: p\n");
        var issues = new List<ConfigIssue>();

        StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);

        Assert.Equal(
            [
                new ConfigIssue("routing.headers.Model", "must match ^[a-z0-9-]+$ (is 'X_Model')"),
                new ConfigIssue("routing.ranges[0].name", "is required"),
            ],
            issues);
    }

    [Fact]
    public void Bind_ValidatableObject_ReportsOnTheNamedMember()
    {
        var configuration = Configs.Yaml("routing:\n  registry:\n    models:\n      - name: m\n        versions: [{name: a, weight: 10}]\n");
        var issues = new List<ConfigIssue>();

        StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);

        Assert.Equal([new ConfigIssue("routing.registry.models[0].versions", "weights must add up to 100")], issues);
    }

    [Theory]
    [InlineData("grpcPort", "-1", "server.grpcPort", "must be from 0 to 65535 (is -1)")]
    [InlineData("GrpcPort", "70000", "server.GrpcPort", "must be from 0 to 65535 (is 70000)")]
    [InlineData("drainTimeout", "00:00:00.5", "server.drainTimeout", "must be from 00:00:01 to 00:10:00 (is 00:00:00.5)")]
    [InlineData("drainTimeout", "1.00:00:00", "server.drainTimeout", "must be from 00:00:01 to 00:10:00 (is 1.00:00:00)")]
    [InlineData("grpcAddress", "localhost", "server.grpcAddress", "must be an IP address such as 0.0.0.0, 127.0.0.1 or :: (is 'localhost')")]
    [InlineData("grpcAddress", "1", "server.grpcAddress", "must be an IP address such as 0.0.0.0, 127.0.0.1 or :: (is '1')")]
    public void Bind_ValueOutOfRange_PathUsesTheConfigSpelling(string key, string value, string path, string message)
    {
        var issues = new List<ConfigIssue>();

        var options = StrictBinder.Bind<ServerSample>(Configs.Memory(($"Server:{key}", value)), "server", issues);

        Assert.Null(options);
        Assert.Equal([new ConfigIssue(path.Replace("server", "Server", StringComparison.Ordinal), message)], issues);
    }

    [Theory]
    [InlineData("::")]
    [InlineData("0.0.0.0")]
    [InlineData("fe80::1")]
    public void Bind_IPAddresses_Accepted(string address)
    {
        var issues = new List<ConfigIssue>();

        var options = StrictBinder.Bind<ServerSample>(Configs.Memory(("server:grpcAddress", address)), "server", issues);

        Assert.Empty(issues);
        Assert.Equal(address, options!.GrpcAddress);
    }

    [Fact]
    public void Bind_ShapeIssue_ReturnsNullWithTheShapeIssueOnly()
    {
        var configuration = Configs.Yaml("routing:\n  reloadCheckSeconds: soon\n  registy: {}\n");
        var issues = new List<ConfigIssue>();

        var options = StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);

        Assert.Null(options);
        Assert.Equal(["routing.registy", "routing.reloadCheckSeconds"], issues.Select(i => i.Path));
    }

    [Fact]
    public void Bind_MovedKey_ReportedThroughTheTable()
    {
        var issues = new List<ConfigIssue>();
        var moved = new Dictionary<string, string> { ["routing.tokenizer"] = "moved: use tokenization.encoding" };

        StrictBinder.Bind<RoutingSample>(Configs.Yaml("routing:\n  tokenizer: o200k_base\n"), "routing", issues, moved);

        Assert.Equal([new ConfigIssue("routing.tokenizer", "moved: use tokenization.encoding")], issues);
    }

    [Fact]
    public void Bind_NestedSectionName_PathStartsWithTheSection()
    {
        var issues = new List<ConfigIssue>();

        StrictBinder.Bind<RegistrySample>(Configs.Yaml("routing:\n  registry:\n    modles: []\n"), "routing:registry", issues);

        Assert.Equal("routing.registry.modles", Assert.Single(issues).Path);
    }

    [Fact]
    public void Bind_KeyOnlyTheBinderRefuses_BecomesAnIssue()
    {
        var issues = new List<ConfigIssue>();

        var options = StrictBinder.Bind<FreeFormSample>(Configs.Memory(("sample:range:colour", "red")), "sample", issues);

        Assert.Null(options);
        var issue = Assert.Single(issues);
        Assert.Equal("sample", issue.Path);
        Assert.Contains("'colour'", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_IssuesAlreadyInTheList_DoNotFailThisSection()
    {
        var issues = new List<ConfigIssue> { new("earlier", "from another section") };

        var options = StrictBinder.Bind<RoutingSample>(Configs.Yaml("routing:\n  models: [a]\n"), "routing", issues);

        Assert.NotNull(options);
        Assert.Single(issues);
    }
}
