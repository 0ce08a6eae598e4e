using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Reload;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace AiSidecar.ExtProc.Tests.Routing.Reload;

public sealed class RoutingTableSourceTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"extproc-reload-{Guid.NewGuid():N}.yaml");
    private readonly TrafficMetrics _metrics = new(Metrics.NewCustomRegistry());
    private readonly ListLogger<RoutingTableSource> _logger = new();

    /// <summary>A config with qwen3-8b split <paramref name="v1"/>/<paramref name="v2"/> over two pools.</summary>
    public static string Yaml(string v1, string v2) => $$"""
        routing:
          reloadCheckSeconds: 0
          registry:
            pools: [{ name: pool-a }, { name: pool-b }]
            models:
              - name: qwen3-8b
                versions:
                  - { name: v1, pool: pool-a, weight: {{v1}} }
                  - { name: v2, pool: pool-b, weight: {{v2}}, canary: true }
        """;

    private RoutingTableSource Start(string yaml)
    {
        File.WriteAllText(_path, yaml);
        var source = new RoutingConfigSource(_path, []);
        Assert.True(RoutingConfigReader.TryRead(source.Build(File.ReadAllBytes(_path)), out var options, out var errors), string.Join("\n", errors));
        return new RoutingTableSource(Options.Create(options), source, _metrics, _logger, TimeProvider.System);
    }

    private static decimal WeightOfV2(RoutingTable table) => table.Registry!.Find("qwen3-8b")!.Versions[1].Weight;

    private double Reloads(string result) => _metrics.ConfigReloads.WithLabels(result).Value;

    [Fact]
    public void CheckForChanges_ValidNewConfig_SwapsInTheNextGeneration()
    {
        using var tables = Start(Yaml("90", "10"));
        File.WriteAllText(_path, Yaml("80", "20"));

        Assert.Equal(ReloadResult.Reloaded, tables.CheckForChanges());

        Assert.Equal((2, 20m), (tables.Current.Generation, WeightOfV2(tables.Current)));
        Assert.Equal((1d, 2d), (Reloads("success"), _metrics.ConfigGeneration.Value));
    }

    [Fact]
    public void CheckForChanges_SameContent_IsUnchanged()
    {
        using var tables = Start(Yaml("90", "10"));

        Assert.Equal(ReloadResult.Unchanged, tables.CheckForChanges());
        Assert.Equal(1, tables.Current.Generation);
    }

    [Fact]
    public void CheckForChanges_WeightsNotSumming_KeepsTheLastGoodConfigAndSaysWhy()
    {
        using var tables = Start(Yaml("90", "10"));
        var before = tables.Current;
        File.WriteAllText(_path, Yaml("80", "10"));

        Assert.Equal(ReloadResult.Rejected, tables.CheckForChanges());

        Assert.Same(before, tables.Current);
        Assert.Equal(1d, Reloads("failure"));
        var line = Assert.Single(_logger.Lines, l => l.Level == LogLevel.Error).Message;
        Assert.Contains(_path, line, StringComparison.Ordinal);
        Assert.Contains("generation 1 stays in use", line, StringComparison.Ordinal);
        Assert.Contains("routing.registry.models[0].versions: the weights of 'qwen3-8b' sum to 90", line, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckForChanges_SameInvalidContentTwice_IsReportedOnce()
    {
        using var tables = Start(Yaml("90", "10"));
        File.WriteAllText(_path, Yaml("80", "10"));
        tables.CheckForChanges();

        Assert.Equal(ReloadResult.Unchanged, tables.CheckForChanges());
        Assert.Equal(1d, Reloads("failure"));
    }

    [Theory]
    [InlineData("routing:\n  registry: [unclosed\n", "not valid YAML")]
    [InlineData("routing:\n  registry:\n    models:\n      - name: m\n        versions:\n          - { name: v1, pool: p, weight: lots }\n", "routing.registry.models[0].versions[0].weight: 'lots' is not a valid number")]
    public void CheckForChanges_MalformedOrUnbindableFile_KeepsTheLastGoodConfig(string yaml, string reason)
    {
        using var tables = Start(Yaml("90", "10"));
        File.WriteAllText(_path, yaml);

        Assert.Equal(ReloadResult.Rejected, tables.CheckForChanges());

        Assert.Equal(10m, WeightOfV2(tables.Current));
        Assert.Contains(reason, Assert.Single(_logger.Lines, l => l.Level == LogLevel.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckForChanges_FileGone_KeepsTheConfigAndRecoversWhenItReturns()
    {
        using var tables = Start(Yaml("90", "10"));
        File.Delete(_path);

        Assert.Equal(ReloadResult.Rejected, tables.CheckForChanges());
        File.WriteAllText(_path, Yaml("50", "50"));

        Assert.Equal(ReloadResult.Reloaded, tables.CheckForChanges());
        Assert.Equal(50m, WeightOfV2(tables.Current));
    }

    [Fact]
    public void CheckForChanges_RegistryRemoved_FallsBackToTokenRanges()
    {
        using var tables = Start(Yaml("90", "10"));
        File.WriteAllText(_path, "routing:\n  reloadCheckSeconds: 0\n");

        Assert.Equal(ReloadResult.Reloaded, tables.CheckForChanges());
        Assert.Null(tables.Current.Registry);
    }

    public void Dispose() => File.Delete(_path);
}
