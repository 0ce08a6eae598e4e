using AiSidecar.Configuration;
using AiSidecar.GpuAgent.Hosting;
using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.Sampling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Read_NoConfiguration_UsesDocumentedDefaults()
    {
        var (options, issues) = Read();

        Assert.Empty(issues);
        Assert.NotNull(options);
        Assert.Equal(("0.0.0.0", 50052, "0.0.0.0", 9400), (options.GrpcAddress, options.GrpcPort, options.MetricsAddress, options.MetricsPort));
        Assert.Equal(Environment.MachineName, options.NodeName);
        Assert.Equal(("libnvidia-ml.so.1", TimeSpan.FromSeconds(5)), (options.Nvml.LibraryPath, options.Nvml.CallTimeout));
        Assert.Equal(TimeSpan.FromSeconds(1), options.Sampling.Interval);
        Assert.Equal(new ulong[] { 13, 31, 43, 45, 68, 109 }, options.Xid.ParseIgnoredXids().Order());
        Assert.True(options.PodResources.Enabled);
    }

    [Fact]
    public void Read_ShippedAppSettings_HasNoIssues()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var issues = new List<ConfigIssue>();

        var options = AgentConfiguration.Read(configuration, issues);

        Assert.Empty(issues);
        Assert.Equal(TimeSpan.FromSeconds(1), options!.Sampling.Interval);
    }

    [Theory]
    [InlineData("urls", "http://+:80")]
    [InlineData("AllowedHosts", "*")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://+:80")]
    public void Read_HostKeyTheAgentDoesNotUse_IsRefused(string key, string value)
    {
        var (options, issues) = Read((key, value));

        Assert.Null(options);
        Assert.Equal(new ConfigIssue(key.Split(':')[0], "unknown key; allowed: GpuAgent, Logging"), Assert.Single(issues));
    }

    [Theory]
    [InlineData("GpuAgent:GrpcPrt", "GpuAgent.GrpcPrt", "unknown key (did you mean 'grpcPort'?); allowed: nodeName, poolLabels, grpcAddress, grpcPort, metricsAddress, metricsPort, nvml, sampling, xid, podResources")]
    [InlineData("GpuAgent:Nvml:CallTimout", "GpuAgent.Nvml.CallTimout", "unknown key (did you mean 'callTimeout'?); allowed: libraryPath, callTimeout, initRetryInterval")]
    [InlineData("GpuAgnet:NodeName", "GpuAgnet", "unknown key (did you mean 'GpuAgent'?); allowed: GpuAgent, Logging")]
    public void Read_MisspeltKey_ReportsPathAndSuggestion(string key, string path, string message)
    {
        var (_, issues) = Read((key, "1"));

        Assert.Equal(new ConfigIssue(path, message), Assert.Single(issues));
    }

    [Theory]
    [InlineData("GpuAgent:Sampling:Interval", "fast", "GpuAgent.Sampling.Interval", "expected a duration like 00:00:05, found 'fast'")]
    [InlineData("GpuAgent:Xid:Enabled", "yes", "GpuAgent.Xid.Enabled", "expected true or false, found 'yes'")]
    [InlineData("GpuAgent:MetricsPort", "9400/tcp", "GpuAgent.MetricsPort", "expected a whole number, found '9400/tcp'")]
    public void Read_ValueOfTheWrongType_NamesTheExpectedType(string key, string value, string path, string message)
    {
        var (_, issues) = Read((key, value));

        Assert.Equal(new ConfigIssue(path, message), Assert.Single(issues));
    }

    [Theory]
    [InlineData("GpuAgent:Nvml", "libnvidia-ml.so.1", "GpuAgent.Nvml", "expected a mapping, found the single value 'libnvidia-ml.so.1'")]
    [InlineData("GpuAgent:PoolLabels:pool:name", "h100", "GpuAgent.PoolLabels.pool", "expected a single value (text), found a mapping")]
    [InlineData("GpuAgent:GrpcPort:0", "50052", "GpuAgent.GrpcPort", "expected a single value (a whole number), found a list")]
    public void Read_WrongShape_IsReported(string key, string value, string path, string message)
    {
        var (_, issues) = Read((key, value));

        Assert.Equal(new ConfigIssue(path, message), Assert.Single(issues));
    }

    [Theory]
    [InlineData("GpuAgent:Sampling:Interval", "00:00:00", "GpuAgent.Sampling.Interval", "must be from 00:00:00.05 to 01:00:00 (is 00:00:00)")]
    [InlineData("GpuAgent:Nvml:CallTimeout", "00:10:00", "GpuAgent.Nvml.CallTimeout", "must be from 00:00:00.01 to 00:05:00 (is 00:10:00)")]
    [InlineData("GpuAgent:Xid:IgnoredXids", "13,abc", "GpuAgent.Xid.IgnoredXids", @"must match ^\s*(\d+\s*(,\s*\d+\s*)*)?$ (is '13,abc')")]
    [InlineData("GpuAgent:MetricsPort", "70000", "GpuAgent.MetricsPort", "must be from 0 to 65535 (is 70000)")]
    [InlineData("GpuAgent:GrpcPort", "-1", "GpuAgent.GrpcPort", "must be from 0 to 65535 (is -1)")]
    [InlineData("GpuAgent:PodResources:SocketPath", "", "GpuAgent.PodResources.SocketPath", "is required")]
    public void Read_ValueOutOfRange_ReportsTheKeyPath(string key, string value, string path, string message)
    {
        var (_, issues) = Read((key, value));

        Assert.Equal(new ConfigIssue(path, message), Assert.Single(issues));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("1")]
    [InlineData("300.1.1.1")]
    public void Read_ListenAddressNotAnIpAddress_IsRefused(string address)
    {
        var (_, issues) = Read(("GpuAgent:GrpcAddress", address), ("GpuAgent:MetricsAddress", "::"));

        Assert.Equal(new ConfigIssue("GpuAgent.GrpcAddress", $"must be an IP address such as 0.0.0.0, 127.0.0.1 or :: (is '{address}')"), Assert.Single(issues));
    }

    [Fact]
    public void Read_BothListenersOnOnePort_IsRefused()
    {
        var (_, issues) = Read(("GpuAgent:GrpcPort", "9400"));

        Assert.Equal(new ConfigIssue("GpuAgent.metricsPort", "must differ from grpcPort (9400): the gRPC and metrics listeners need a port each"), Assert.Single(issues));
    }

    [Fact]
    public void Read_LoggingLevelNotALevel_IsRefused()
    {
        var (_, issues) = Read(("Logging:LogLevel:Default", "Verbose"), ("Logging:EventLog:LogLevel:Default", "Error"));

        Assert.Equal(
            [
                new ConfigIssue("Logging.EventLog", "unknown key; allowed: LogLevel, Console"),
                new ConfigIssue("Logging.LogLevel.Default", "expected a log level: one of Trace, Debug, Information, Warning, Error, Critical, None; found 'Verbose'"),
            ],
            issues);
    }

    [Fact]
    public void AddGpuAgent_InvalidSection_ResolvingOptionsThrowsTheIssueLines()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("GpuAgent:Sampling:Interval", "00:00:00")]).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddGpuAgent().BuildServiceProvider();

        var error = Assert.Throws<InvalidConfigurationException>(() => provider.GetRequiredService<IOptions<SamplingOptions>>());

        Assert.Equal(["GpuAgent.Sampling.Interval: must be from 00:00:00.05 to 01:00:00 (is 00:00:00)"], error.Lines);
    }

    [Fact]
    public void AddGpuAgent_ValidSection_EveryOptionsTypeComesFromTheOneBoundTree()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("GpuAgent:Nvml:CallTimeout", "00:00:02"), new("GpuAgent:NodeName", "n1")]).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddGpuAgent().BuildServiceProvider();

        var agent = provider.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal("n1", agent.NodeName);
        Assert.Same(agent.Nvml, provider.GetRequiredService<IOptions<NvmlOptions>>().Value);
        Assert.Equal(TimeSpan.FromSeconds(2), provider.GetRequiredService<IOptions<NvmlOptions>>().Value.CallTimeout);
    }

    private static (AgentOptions? Options, List<ConfigIssue> Issues) Read(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var issues = new List<ConfigIssue>();
        return (AgentConfiguration.Read(configuration, issues), issues);
    }
}
