using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Commands;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Tests.Commands;

namespace AiSidecar.ExtProc.Tests.Configuration;

/// <summary>
/// Config that cannot be wrong silently: each mistake that used to pass is an error with its file, line, column and key
/// path, the same at start (exit 78), in <c>validate</c> and on reload.
/// </summary>
public sealed partial class ConfigLoaderTests
{
    private static IReadOnlyList<string> Errors(string yaml, params string[] overrides)
    {
        var path = CommandRun.TempFile(yaml);
        Assert.False(ConfigLoader.TryLoad(new ConfigSources(path, overrides), out _, out var errors), "the config was accepted");
        return [.. errors.Select(e => e.Replace(path, "FILE", StringComparison.Ordinal))];
    }

    private static void AssertError(IReadOnlyList<string> errors, string expected) =>
        Assert.True(errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)), $"Expected a line starting '{expected}', got:\n{string.Join("\n", errors)}");

    /// <summary>Inputs the config fuzz target found (docs/fuzzing.md): each threw out of the loader or gave a multi-line issue.</summary>
    public static TheoryData<string, string> FuzzFindings() => new()
    {
        { "ISFbSw==", "FILE:1:5: not valid YAML after this point" }, // !![K: an invalid tag
        { "IDogfA==", "FILE:2:1: not valid YAML after this point" }, // " : |"
        { "IDogfQ==", "FILE:2:1: not valid YAML after this point" }, // " : }"
        { "fApkCg==", "FILE:1:1: the root of a config file must be a mapping (key: value), found the value 'd\\n'" }, // |\nd\n
        { "xQ0NLQ==", "FILE:1:1: the root of a config file must be a mapping (key: value), found the value '\uFFFD\\n-'" }, // invalid UTF-8, CR CR -
        { "ImFcbmIiOiAxCg==", "FILE:1:1: a\\nb: unknown key" }, // "a\nb": 1 (a quoted key with a line break)
        { "cm91dGluZzoKICBoZWFkZXJzOgogICAgdmFyaWFudDoK", "FILE:3:5: routing.headers.variant: is required" }, // variant: (null reached the routing validator)
        { "Y2F0YWxvZ3VlOgogIHJhbmdlczoKICAgIC0geyBuYW1lIH0K", "FILE:3:9: catalogue.ranges[0].name: is required" }, // - { name } (null reached the catalogue validator)
    };

    [Theory]
    [MemberData(nameof(FuzzFindings))]
    public void TryLoad_InputFoundByFuzzing_ReportsOneLineIssueWithoutThrowing(string base64, string expected)
    {
        Assert.False(ConfigLoader.TryLoad(new ConfigSources("FILE", []), Convert.FromBase64String(base64), null, out _, out var errors));

        AssertError(errors, expected);
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
    }

    [Fact]
    public void TryLoad_MisspelledSection_NamesItWithItsPlaceAndTheSections()
    {
        var errors = Errors("server:\n  grpcPort: 50051\nroutng:\n  headers: {}\n");

        AssertError(errors, "FILE:3:1: routng: unknown");
        Assert.Contains("routing", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_MisspelledKeyInRouting_IsAnError()
    {
        AssertError(Errors("routing:\n  registy:\n    models: []\n"), "FILE:2:3: routing.registy: unknown");
    }

    [Fact]
    public void TryLoad_MisspelledServerKey_SuggestsTheKey()
    {
        var error = Assert.Single(Errors("server:\n  grpcPrt: 50052\n"));

        Assert.StartsWith("FILE:2:3: server.grpcPrt: unknown", error, StringComparison.Ordinal);
        Assert.Contains("grpcPort", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_MisspelledTokenizationKey_SuggestsTheKey()
    {
        var error = Assert.Single(Errors("tokenization:\n  encodng: cl100k_base\n"));

        Assert.StartsWith("FILE:2:3: tokenization.encodng: unknown", error, StringComparison.Ordinal);
        Assert.Contains("encoding", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("2000000000")]
    [InlineData("64k")]
    public void TryLoad_MaxMergeBytesOutOfRange_IsAnErrorAtThatKey(string value)
    {
        AssertError(Errors($"tokenization:\n  maxMergeBytes: {value}\n"), "FILE:2:3: tokenization.maxMergeBytes:");
    }

    [Fact]
    public void TryLoad_ListWhereANumberBelongs_IsAnErrorAtThatKey()
    {
        var errors = Errors("catalogue:\n  ranges:\n    - { name: small, maxTokens: [1000], pool: a }\n    - { name: large, pool: b }\n");

        AssertError(errors, "FILE:3:22: catalogue.ranges[0].maxTokens:");
    }

    [Fact]
    public void TryLoad_UnconvertibleValueInAListElement_IsNotDroppedSilently()
    {
        var errors = Errors("catalogue:\n  pools: [{ name: p }]\n  models:\n    - name: m\n      versions:\n        - { name: v1, pool: p, weight: lots }\n");

        AssertError(errors, "FILE:6:32: catalogue.models[0].versions[0].weight:");
    }

    [Fact]
    public void TryLoad_EnumValueNotAllowed_ListsTheAllowedValues()
    {
        var error = Assert.Single(Errors("processing:\n  assumedRequestBodyMode: BUFFERD\n"));

        Assert.StartsWith("FILE:2:3: processing.assumedRequestBodyMode:", error, StringComparison.Ordinal);
        foreach (var mode in new[] { "NONE", "STREAMED", "BUFFERED", "BUFFERED_PARTIAL", "FULL_DUPLEX_STREAMED" })
        {
            Assert.Contains(mode, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryLoad_LogLevelTheLoggerDoesNotKnow_IsAnError()
    {
        var error = Assert.Single(Errors("Logging:\n  LogLevel:\n    Default: Verbose\n"));

        Assert.StartsWith("FILE:3:5: Logging.LogLevel.Default:", error, StringComparison.Ordinal);
        Assert.Contains("Information", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_TopLevelList_IsAnErrorNotACrash()
    {
        var error = Assert.Single(Errors("- server\n- routing\n"));

        Assert.StartsWith("FILE:1:1:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_DuplicateKey_IsAnError()
    {
        AssertError(Errors("server:\n  grpcPort: 1\n  grpcPort: 2\n"), "FILE:3:3:");
    }

    [Theory]
    [InlineData("routing:\n  registry:\n    models: []\n", "FILE:2:3: routing.registry: moved", "catalogue.models")]
    [InlineData("routing:\n  models: [a]\n", "FILE:2:3: routing.models: moved", "catalogue.unknownModels: reject")]
    [InlineData("routing:\n  ranges: []\n", "FILE:2:3: routing.ranges: moved", "catalogue.ranges")]
    [InlineData("tokenization:\n  models: []\n", "FILE:2:3: tokenization.models: moved", "catalogue.models[].tokenizer")]
    [InlineData("tokenization:\n  reloadCheckSeconds: 5\n", "FILE:2:3: tokenization.reloadCheckSeconds: moved", "server.reloadCheckSeconds")]
    public void TryLoad_OldKey_NamesItsNewPlace(string yaml, string start, string place)
    {
        var error = Assert.Single(Errors(yaml));

        Assert.StartsWith(start, error, StringComparison.Ordinal);
        Assert.Contains(place, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_BadCommandLineOverride_IsLocatedOnTheCommandLine()
    {
        var error = Assert.Single(Errors("", "--server:grpcPort=-1"));

        Assert.Contains("--server:grpcPort", error, StringComparison.Ordinal);
        Assert.Contains("server.grpcPort", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_UnknownOverrideKey_IsAnError()
    {
        Assert.Contains("server.grpcPrt", Assert.Single(Errors("", "--server:grpcPrt=1")), StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_HostName_IsNotAListenAddress()
    {
        AssertError(Errors("server:\n  grpcAddress: localhost\n"), "FILE:2:3: server.grpcAddress:");
    }

    [Fact]
    public async Task StartValidateAndReload_SameInvalidFile_ReportTheSameLines()
    {
        var path = CommandRun.TempFile("server:\n  grpcPrt: 1\ncatalogue:\n  unknownModels: sometimes\n");

        var validate = await CommandRun.RunAsync(ValidateCommand.Name, "--config", path);
        var start = await CommandRun.RunAsync("--config", path);
        Assert.False(ConfigLoader.TryLoad(new ConfigSources(path, []), File.ReadAllBytes(path), null, out _, out var reload));

        var lines = ErrorLines(validate.Output);
        Assert.Equal(2, lines.Count);
        Assert.Equal(lines, ErrorLines(start.Error));
        Assert.Equal(lines, reload);
        Assert.Equal((ExitCodes.Failed, ExitCodes.InvalidConfig), (validate.ExitCode, start.ExitCode));
    }

    private static List<string> ErrorLines(string output) => [.. output.Split('\n').Select(l => l.TrimEnd()).Where(l => Located().IsMatch(l))];

    [GeneratedRegex(@"^/\S+:\d+:\d+: ")]
    private static partial Regex Located();
}
