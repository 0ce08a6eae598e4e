using AiSidecar.Configuration.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration.Tests.Logging;

public sealed class LoggingConfigCheckerTests
{
    [Fact]
    public void Check_VerboseLevel_ListsAllowedLevels()
    {
        var issue = Assert.Single(Check(Configs.Yaml("Logging:\n  LogLevel:\n    Default: Verbose\n")));

        Assert.Equal("Logging.LogLevel.Default", issue.Path);
        Assert.Equal("expected a log level: one of Trace, Debug, Information, Warning, Error, Critical, None; found 'Verbose'", issue.Message);
    }

    [Fact]
    public void Check_LevelsInAnyCase_NoIssues()
    {
        var configuration = Configs.Yaml("""
            Logging:
              LogLevel:
                Default: information
                Microsoft.AspNetCore: WARNING
                Grpc: none
              Console:
                LogLevel:
                  Default: Debug
                FormatterName: json
                LogToStandardErrorThreshold: Warning
                FormatterOptions:
                  SingleLine: true
                  TimestampFormat: "HH:mm:ss "
                  UseUtcTimestamp: true
                  ColorBehavior: Disabled
                  JsonWriterOptions:
                    Indented: false
            """);

        Assert.Empty(Check(configuration));
    }

    [Fact]
    public void Check_NumericLevel_IsRefused()
    {
        var issue = Assert.Single(Check(Configs.Memory(("Logging:LogLevel:Default", "2"))));

        Assert.EndsWith("found '2'", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UnknownProviderOrKey_ReportsUnknownKey()
    {
        var configuration = Configs.Yaml("Logging:\n  Debug:\n    LogLevel:\n      Default: Trace\n  LogLevl:\n    Default: Trace\n");

        var issues = Check(configuration);

        Assert.Equal(
            [
                new ConfigIssue("Logging.Debug", "unknown key; allowed: LogLevel, Console"),
                new ConfigIssue("Logging.LogLevl", "unknown key (did you mean 'LogLevel'?); allowed: LogLevel, Console"),
            ],
            issues);
    }

    [Fact]
    public void Check_ConsoleOptions_CheckedByType()
    {
        var configuration = Configs.Yaml("Logging:\n  Console:\n    LogToStandardErrorThreshold: Verbose\n    MaxQueueLength: lots\n    Colour: true\n");

        var issues = Check(configuration);

        Assert.Equal(["Logging.Console.Colour", "Logging.Console.LogToStandardErrorThreshold", "Logging.Console.MaxQueueLength"], issues.Select(i => i.Path));
        Assert.StartsWith("unknown key; allowed: LogLevel, FormatterOptions, ", issues[0].Message, StringComparison.Ordinal);
        Assert.Equal("expected one of Trace, Debug, Information, Warning, Error, Critical, None; found 'Verbose'", issues[1].Message);
        Assert.Equal("expected a whole number, found 'lots'", issues[2].Message);
    }

    [Fact]
    public void Check_FormatterOptions_UnknownKeyAndWrongTypeReported()
    {
        var configuration = Configs.Yaml("Logging:\n  Console:\n    FormatterOptions:\n      SingleLine: maybe\n      Indented: true\n");

        var issues = Check(configuration);

        Assert.Equal("Logging.Console.FormatterOptions.Indented", issues[0].Path);
        Assert.StartsWith("unknown key; allowed: ", issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("JsonWriterOptions", issues[0].Message, StringComparison.Ordinal);
        Assert.Equal(new ConfigIssue("Logging.Console.FormatterOptions.SingleLine", "expected true or false, found 'maybe'"), issues[1]);
    }

    [Fact]
    public void Check_NestedCategory_IsReportedBecauseTheLibraryIgnoresIt()
    {
        var configuration = Configs.Yaml("Logging:\n  LogLevel:\n    Microsoft:\n      AspNetCore: Warning\n");

        var issue = Assert.Single(Check(configuration));

        Assert.Equal("Logging.LogLevel.Microsoft", issue.Path);
        Assert.StartsWith("expected a log level (Trace, ", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LoggingSingleValue_ReportsExpectedMapping()
    {
        var issue = Assert.Single(Check(Configs.Memory(("Logging", "Debug"))));

        Assert.Equal(new ConfigIssue("Logging", "expected a mapping, found the single value 'Debug'"), issue);
    }

    private static List<ConfigIssue> Check(IConfiguration configuration)
    {
        var issues = new List<ConfigIssue>();
        LoggingConfigChecker.Check(configuration, issues);
        return issues;
    }
}
