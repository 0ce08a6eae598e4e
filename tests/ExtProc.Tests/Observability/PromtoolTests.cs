using System.Text.Json.Nodes;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Observability;

/// <summary>
/// The rule files and the Prometheus config pass promtool's checks, and promtool's unit tests
/// (<c>deploy/observability/tests/</c>) hold and cover every alert both ways: firing on the series that should raise
/// it, silent on others.
/// </summary>
public sealed class PromtoolTests
{
    private static string ObservabilityDirectory => RepoFiles.PathOf(ObservabilityFiles.Directory);

    [Fact]
    public async Task CheckRules_ShippedRuleFiles_AreValid()
    {
        var run = await PrometheusTools.PromtoolAsync(RepoFiles.Root, ["check", "rules", .. ObservabilityFiles.RuleFiles]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(ObservabilityFiles.RuleFiles.Length, run.Output.Split("SUCCESS").Length - 1);
    }

    [Fact]
    public async Task CheckConfig_ShippedPrometheusConfig_IsValidWithItsRuleFiles()
    {
        var run = await PrometheusTools.PromtoolAsync(RepoFiles.Root, "check", "config", "deploy/observability/prometheus.yaml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"SUCCESS: {ObservabilityFiles.RuleFiles.Length} rule files found", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleFiles_PrometheusConfigAndKustomization_ListTheShippedOnes()
    {
        var config = RepoFiles.LoadYaml("deploy/observability/prometheus.yaml").Single();
        var kustomization = RepoFiles.LoadYaml("deploy/observability/kustomization.yaml").Single();

        var configured = config["rule_files"]!.AsArray().Select(f => "deploy/observability/" + f!.GetValue<string>());
        var generated = kustomization["configMapGenerator"]!.AsArray()
            .Single(g => g!["name"]!.GetValue<string>() == "ai-sidecar-prometheus-rules")!["files"]!.AsArray()
            .Select(f => "deploy/observability/" + f!.GetValue<string>());

        Assert.Equal(ObservabilityFiles.RuleFiles, configured);
        Assert.Equal(ObservabilityFiles.RuleFiles, generated);
        Assert.Equal(
            [Path.GetFileName(ObservabilityFiles.DashboardPath)],
            kustomization["configMapGenerator"]!.AsArray().Single(g => g!["name"]!.GetValue<string>() == "ai-sidecar-dashboards")!["files"]!.AsArray()
                .Select(f => Path.GetFileName(f!.GetValue<string>())));
    }

    [Fact]
    public async Task TestRules_UnitTests_Pass()
    {
        var tests = Directory.GetFiles(Path.Combine(ObservabilityDirectory, "tests"), "*.yaml").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(tests);

        var run = await PrometheusTools.PromtoolAsync(Path.Combine(ObservabilityDirectory, "tests"), ["test", "rules", .. tests.Select(t => Path.GetFileName(t))]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(tests.Length, run.Output.Split("SUCCESS").Length - 1);
    }

    /// <summary>Each alert has a unit test case where it fires and one where it is expected silent.</summary>
    [Fact]
    public void TestRules_EveryAlert_IsTestedFiringAndSilent()
    {
        var cases = Directory.GetFiles(Path.Combine(ObservabilityDirectory, "tests"), "*.yaml")
            .SelectMany(file => RepoFiles.LoadYaml(Path.GetRelativePath(RepoFiles.Root, file)).Single()["tests"]!.AsArray())
            .SelectMany(test => test!["alert_rule_test"]?.AsArray() ?? [])
            .Select(c => (Alert: c!["alertname"]!.GetValue<string>(), Fires: (c["exp_alerts"] as JsonArray)?.Count > 0))
            .ToList();

        var alerts = ObservabilityFiles.Rules().Where(r => r.Alert is not null).Select(r => r.Alert!).ToList();

        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert =>
        {
            Assert.True(cases.Contains((alert, true)), $"{alert} has no test case where it fires");
            Assert.True(cases.Contains((alert, false)), $"{alert} has no test case where it stays silent");
        });
        Assert.Empty(cases.Select(c => c.Alert).Except(alerts, StringComparer.Ordinal));
    }
}
