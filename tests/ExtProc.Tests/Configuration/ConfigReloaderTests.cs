using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiSidecar.ExtProc.Tests.Configuration;

public sealed class ConfigReloaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"extproc-reload-{Guid.NewGuid():N}.yaml");
    private readonly ListLogger<ConfigReloader> _logger = new();
    private ServiceProvider? _services;

    /// <summary>A config with qwen3-8b split <paramref name="v1"/>/<paramref name="v2"/> over two pools.</summary>
    public static string Yaml(string v1, string v2) => $$"""
        server:
          reloadCheckSeconds: 0
        catalogue:
          pools: [{ name: pool-a }, { name: pool-b }]
          models:
            - name: qwen3-8b
              versions:
                - { name: v1, pool: pool-a, weight: {{v1}} }
                - { name: v2, pool: pool-b, weight: {{v2}}, canary: true }
        """;

    private ConfigReloader Start(string yaml)
    {
        File.WriteAllText(_path, yaml);
        Assert.True(ConfigLoader.TryLoad(new ConfigSources(_path, []), out var loaded, out var errors), string.Join("\n", errors));
        var services = new ServiceCollection().AddLogging().AddSingleton<Microsoft.Extensions.Logging.ILogger<ConfigReloader>>(_logger);
        services.AddExtProcCore(loaded!).AddConfigReload();
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<ConfigReloader>();
    }

    private RoutingTable Current => _services!.GetRequiredService<IRoutingTableSource>().Current;

    private static decimal WeightOfV2(RoutingTable table) => table.Catalog.Find("qwen3-8b")!.Versions[1].Weight;

    private Task<double> Metric(string series) => ScrapedMetrics.ValueAsync(_services!, series);

    [Fact]
    public async Task CheckForChanges_ValidNewConfig_SwapsInTheNextGeneration()
    {
        var reloader = Start(Yaml("90", "10"));
        File.WriteAllText(_path, Yaml("80", "20"));

        Assert.Equal(ReloadResult.Reloaded, reloader.CheckForChanges());

        Assert.Equal((2, 20m), (Current.Generation, WeightOfV2(Current)));
        Assert.Equal((1d, 2d), (await Metric("extproc_config_reloads_total{result=\"success\"}"), await Metric("extproc_config_generation")));
    }

    [Fact]
    public void CheckForChanges_SameContent_IsUnchanged()
    {
        var reloader = Start(Yaml("90", "10"));

        Assert.Equal(ReloadResult.Unchanged, reloader.CheckForChanges());
        Assert.Equal(1, Current.Generation);
    }

    [Fact]
    public async Task CheckForChanges_WeightsNotSumming_KeepsTheLastGoodConfigAndSaysWhy()
    {
        var reloader = Start(Yaml("90", "10"));
        var before = Current;
        File.WriteAllText(_path, Yaml("80", "10"));

        Assert.Equal(ReloadResult.Rejected, reloader.CheckForChanges());

        Assert.Same(before, Current);
        Assert.Equal(1d, await Metric("extproc_config_reloads_total{result=\"failure\"}"));
        var line = Assert.Single(_logger.Lines, l => l.Level == LogLevel.Error).Message;
        Assert.Contains(_path, line, StringComparison.Ordinal);
        Assert.Contains("generation 1 stays in use", line, StringComparison.Ordinal);
        Assert.Contains("catalogue.models[0].versions: the weights of 'qwen3-8b' sum to 90", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckForChanges_SameInvalidContentTwice_IsReportedOnce()
    {
        var reloader = Start(Yaml("90", "10"));
        File.WriteAllText(_path, Yaml("80", "10"));
        reloader.CheckForChanges();

        Assert.Equal(ReloadResult.Unchanged, reloader.CheckForChanges());
        Assert.Equal(1d, await Metric("extproc_config_reloads_total{result=\"failure\"}"));
    }

    [Theory]
    [InlineData("catalogue:\n  models: [unclosed\n", "not valid YAML")]
    [InlineData("catalogue:\n  pools: [{ name: p }]\n  models:\n    - name: m\n      versions:\n        - { name: v1, pool: p, weight: lots }\n", "catalogue.models[0].versions[0].weight")]
    [InlineData("catalogue:\n  modles: []\n", "catalogue.modles")]
    [InlineData("routng:\n  headers: {}\n", "routng")]
    [InlineData("server:\n  grpcPrt: 50052\n", "server.grpcPrt")]
    [InlineData("tokenization:\n  encodng: cl100k_base\n", "tokenization.encodng")]
    [InlineData("catalogue:\n  ranges:\n    - { name: a, maxTokens: [1000], pool: p }\n    - { name: b, pool: q }\n", "catalogue.ranges[0].maxTokens")]
    [InlineData("Logging:\n  LogLevel:\n    Default: Verbose\n", "Logging.LogLevel.Default")]
    [InlineData("- catalogue\n", "1:1")]
    public async Task CheckForChanges_MalformedOrMisspelledFile_KeepsTheLastGoodConfigAndCountsAFailure(string yaml, string reason)
    {
        var reloader = Start(Yaml("90", "10"));
        File.WriteAllText(_path, yaml);

        Assert.Equal(ReloadResult.Rejected, reloader.CheckForChanges());

        Assert.Equal(10m, WeightOfV2(Current));
        Assert.Equal(1d, await Metric("extproc_config_reloads_total{result=\"failure\"}"));
        Assert.Contains(reason, Assert.Single(_logger.Lines, l => l.Level == LogLevel.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckForChanges_FileGone_KeepsTheConfigAndRecoversWhenItReturns()
    {
        var reloader = Start(Yaml("90", "10"));
        File.Delete(_path);

        Assert.Equal(ReloadResult.Rejected, reloader.CheckForChanges());
        File.WriteAllText(_path, Yaml("50", "50"));

        Assert.Equal(ReloadResult.Reloaded, reloader.CheckForChanges());
        Assert.Equal(50m, WeightOfV2(Current));
    }

    [Fact]
    public void CheckForChanges_ModelsRemoved_EveryModelIsUnknown()
    {
        var reloader = Start(Yaml("90", "10"));
        File.WriteAllText(_path, "server:\n  reloadCheckSeconds: 0\n");

        Assert.Equal(ReloadResult.Reloaded, reloader.CheckForChanges());
        Assert.Empty(Current.Catalog.Models);
    }

    [Theory]
    [InlineData("processing:\n  maxBodyBytes: 1048576\n", "processing")]
    [InlineData("admission:\n  breaker:\n    failures: 9\n", "admission")]
    public void CheckForChanges_StartOnlySectionChanged_SaysARestartApplies(string change, string section)
    {
        var reloader = Start(Yaml("90", "10"));
        File.WriteAllText(_path, Yaml("90", "10") + "\n" + change);

        Assert.Equal(ReloadResult.Reloaded, reloader.CheckForChanges());
        Assert.Contains(_logger.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains($"the {section} section changed", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _services?.Dispose();
        File.Delete(_path);
    }
}
