using AiSidecar.Configuration.Tests.Infrastructure;
using AiSidecar.Configuration.Tests.Samples;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration.Tests.Location;

public sealed class ConfigIssueLocatorTests
{
    [Fact]
    public void Format_MisspeltKeysInYamlFile_FileLineColumnPathAndSuggestion()
    {
        using var files = new TempFiles();
        var configuration = Configs.Yaml(files, """
            server:
              grpcPrt: 50051
            tokenization:
              encodng: o200k_base
            routing:
              registy:
                models: []
            """);
        var issues = new List<ConfigIssue>();
        StrictBinder.Bind<ServerSample>(configuration, "server", issues);
        StrictBinder.Bind<TokenizationSample>(configuration, "tokenization", issues);
        StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);
        var file = Path.Combine(files.Directory, "config.yaml");

        var lines = ConfigIssueLocator.Format(configuration, issues);

        Assert.Equal(3, lines.Count);
        Assert.StartsWith($"{file}:2:3: server.grpcPrt: unknown key (did you mean 'grpcPort'?); allowed: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:4:3: tokenization.encodng: unknown key (did you mean 'encoding'?); allowed: ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:6:3: routing.registy: unknown key (did you mean 'registry'?); allowed: ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Format_ShapeIssueInYaml_PointsAtTheKeyLine()
    {
        var configuration = Configs.Yaml("routing:\n  ranges:\n    - name: small\n      maxTokens: [1000]\n");
        var issues = new List<ConfigIssue>();
        StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);

        var line = Assert.Single(ConfigIssueLocator.Format(configuration, issues));

        Assert.Equal("config.yaml:4:7: routing.ranges[0].maxTokens: expected a single value (a whole number), found a list", line);
    }

    [Fact]
    public void Format_IssuesFromSeveralSections_SortedInDocumentOrder()
    {
        var configuration = Configs.Yaml("tokenization:\n  loading: never\nrouting:\n  reloadCheckSeconds: -1\n");
        var issues = new List<ConfigIssue>();
        StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);
        StrictBinder.Bind<TokenizationSample>(configuration, "tokenization", issues);

        var lines = ConfigIssueLocator.Format(configuration, issues);

        Assert.Equal(
            [
                "config.yaml:2:3: tokenization.loading: expected one of Lazy, Eager; found 'never'",
                "config.yaml:4:3: routing.reloadCheckSeconds: must be from 0 to 3600 (is -1)",
            ],
            lines);
    }

    [Fact]
    public void Format_EnvironmentOverride_NamesTheVariable()
    {
        var prefix = $"CFGTEST{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable($"{prefix}server__GrpcPort", "-1");
        Environment.SetEnvironmentVariable($"{prefix}unrelated", "x");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddPositionedYaml("server:\n  grpcPort: 1\n"u8.ToArray(), "config.yaml")
                .AddLocatedEnvironmentVariables(prefix, ["server"])
                .Build();
            var issues = new List<ConfigIssue>();
            StrictBinder.Bind<ServerSample>(configuration, "server", issues);

            var line = Assert.Single(ConfigIssueLocator.Format(configuration, issues));

            Assert.Null(configuration["unrelated"]);
            Assert.Equal($"environment variable {prefix}server__GrpcPort: server.GrpcPort: must be from 0 to 65535 (is -1)", line);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{prefix}server__GrpcPort", null);
            Environment.SetEnvironmentVariable($"{prefix}unrelated", null);
        }
    }

    [Fact]
    public void Format_StandardEnvironmentProvider_NamesTheVariableWithItsPrefix()
    {
        var prefix = $"CFGTEST{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable($"{prefix}routing__ranges__0__maxTokens", "many");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            var issues = new List<ConfigIssue>();
            StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);

            var line = Assert.Single(ConfigIssueLocator.Format(configuration, issues));

            Assert.Equal($"environment variable {prefix}routing__ranges__0__maxTokens: routing.ranges[0].maxTokens: expected a whole number, found 'many'", line);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{prefix}routing__ranges__0__maxTokens", null);
        }
    }

    [Fact]
    public void Format_CommandLineOverride_NamesTheArgument()
    {
        var configuration = new ConfigurationBuilder()
            .AddPositionedYaml("server:\n  grpcPort: 1\n"u8.ToArray(), "config.yaml")
            .AddCommandLine(["--server:grpcPort=http", "--server:GrpcAdress=::"])
            .Build();
        var issues = new List<ConfigIssue>();
        StrictBinder.Bind<ServerSample>(configuration, "server", issues);

        var lines = ConfigIssueLocator.Format(configuration, issues);

        Assert.Equal(
            [
                "command line --server:GrpcAdress: server.GrpcAdress: unknown key (did you mean 'grpcAddress'?); allowed: grpcAddress, grpcPort, enabled, maxBytes, priority, ratio, price, drainTimeout, endpoint, loading, labels, named, ports, hosts, extra",
                "command line --server:grpcPort: server.grpcPort: expected a whole number, found 'http'",
            ],
            lines);
    }

    [Fact]
    public void Format_JsonFile_FileLineAndColumn()
    {
        using var files = new TempFiles();
        var path = files.Write("appsettings.json", """
            {
              // comments are allowed, as the JSON provider allows them
              "server": {
                "ports": [ 80, "http" ],
                "grpcPort": 70000,
              }
            }
            """);
        var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();
        var issues = new List<ConfigIssue>();
        ConfigShapeChecker.Check(configuration.GetSection("server"), typeof(ServerSample), issues);

        var line = Assert.Single(ConfigIssueLocator.Format(configuration, issues));

        Assert.Equal($"{path}:4:20: server.ports[1]: expected a whole number, found 'http'", line);
    }

    [Fact]
    public void Locate_KeyAbsentFromEverySource_UsesTheNearestAncestor()
    {
        var configuration = Configs.Yaml("routing:\n  ranges:\n    - pool: p\n");

        Assert.Equal("config.yaml:3:7", ConfigIssueLocator.Locate(configuration, "routing.ranges[0].name"));
        Assert.Null(ConfigIssueLocator.Locate(configuration, "server.grpcPort"));
    }

    [Fact]
    public void Locate_DottedLogCategory_FindsTheWholeKey()
    {
        var configuration = Configs.Yaml("Logging:\n  LogLevel:\n    Default: Warning\n    Microsoft.AspNetCore: Verbose\n");
        var issues = new List<ConfigIssue>();
        LoggingConfigChecker.Check(configuration, issues);

        var line = Assert.Single(ConfigIssueLocator.Format(configuration, issues));

        Assert.StartsWith("config.yaml:4:5: Logging.LogLevel.Microsoft.AspNetCore: expected a log level", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_SectionSetOnTheCommandLineOverAFile_LastProviderWins()
    {
        var configuration = new ConfigurationBuilder()
            .AddPositionedYaml("routing:\n  ranges:\n    - name: a\n"u8.ToArray(), "config.yaml")
            .AddCommandLine(["--routing:ranges:0:maxTokens=x"])
            .Build();
        var issues = new List<ConfigIssue>();
        StrictBinder.Bind<RoutingSample>(configuration, "routing", issues);

        Assert.Equal(["command line --routing:ranges:0:maxTokens: routing.ranges[0].maxTokens: expected a whole number, found 'x'"], ConfigIssueLocator.Format(configuration, issues));
    }

    [Fact]
    public void Format_InMemorySettings_PathAndMessageOnly()
    {
        var configuration = Configs.Memory(("server:grpcPort", "x"));
        var issues = new List<ConfigIssue>();
        StrictBinder.Bind<ServerSample>(configuration, "server", issues);

        Assert.Equal(["server.grpcPort: expected a whole number, found 'x'"], ConfigIssueLocator.Format(configuration, issues));
    }

    [Fact]
    public void Format_FileAndSameBytes_GiveTheSameLines()
    {
        using var files = new TempFiles();
        const string Yaml = "routing:\n  ranges:\n    - name: a\n      maxTokens: -3\n";
        var fromFile = Configs.Yaml(files, Yaml);
        var fromBytes = new ConfigurationBuilder().AddPositionedYaml(System.Text.Encoding.UTF8.GetBytes(Yaml), Path.Combine(files.Directory, "config.yaml")).Build();
        List<ConfigIssue> fileIssues = [], byteIssues = [];
        StrictBinder.Bind<RoutingSample>(fromFile, "routing", fileIssues);
        StrictBinder.Bind<RoutingSample>(fromBytes, "routing", byteIssues);

        var lines = ConfigIssueLocator.Format(fromFile, fileIssues);

        Assert.Equal(lines, ConfigIssueLocator.Format(fromBytes, byteIssues));
        Assert.EndsWith("config.yaml:4:7: routing.ranges[0].maxTokens: must be from 1 to 2147483647 (is -3)", Assert.Single(lines), StringComparison.Ordinal);
    }
}
