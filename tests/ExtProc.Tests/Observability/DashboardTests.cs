using System.Text.Json.Nodes;

namespace AiSidecar.ExtProc.Tests.Observability;

/// <summary>
/// The Grafana dashboard's shape (no JSON schema for dashboards is published, so its structure is checked here and
/// its queries against a real Prometheus in <see cref="LivePrometheusTests"/>).
/// </summary>
public sealed class DashboardTests
{
    private static readonly JsonObject Dashboard = ObservabilityFiles.Dashboard();

    private static IEnumerable<JsonObject> Panels => Dashboard["panels"]!.AsArray().Select(p => p!.AsObject());

    [Fact]
    public void Dashboard_Panels_HaveUniqueIdsAndNonOverlappingPlacesOnTheGrid()
    {
        var ids = Panels.Select(p => p["id"]!.GetValue<int>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var taken = new HashSet<(int X, int Y)>();
        foreach (var panel in Panels)
        {
            var grid = panel["gridPos"]!;
            var (x, y, w, h) = (grid["x"]!.GetValue<int>(), grid["y"]!.GetValue<int>(), grid["w"]!.GetValue<int>(), grid["h"]!.GetValue<int>());
            Assert.InRange(x + w, 1, 24);
            for (var i = x; i < x + w; i++)
            {
                for (var j = y; j < y + h; j++)
                {
                    Assert.True(taken.Add((i, j)), $"panel '{panel["title"]}' overlaps another at ({i}, {j})");
                }
            }
        }
    }

    [Fact]
    public void Dashboard_QueryPanels_UseTheDatasourceVariableAndHaveTitledTargets()
    {
        var variable = Dashboard["templating"]!["list"]!.AsArray().Single(v => v!["type"]!.GetValue<string>() == "datasource")!;
        Assert.Equal("prometheus", variable["query"]!.GetValue<string>());
        var reference = "${" + variable["name"]!.GetValue<string>() + "}";

        foreach (var panel in Panels.Where(p => p["type"]!.GetValue<string>() != "row"))
        {
            var title = panel["title"]!.GetValue<string>();
            Assert.False(string.IsNullOrWhiteSpace(panel["description"]?.GetValue<string>()), $"'{title}' has no description");
            Assert.Equal(reference, panel["datasource"]!["uid"]!.GetValue<string>());
            var targets = panel["targets"]!.AsArray();
            Assert.NotEmpty(targets);
            Assert.Equal(targets.Count, targets.Select(t => t!["refId"]!.GetValue<string>()).Distinct().Count());
            Assert.All(targets, t =>
            {
                Assert.Equal(reference, t!["datasource"]!["uid"]!.GetValue<string>());
                Assert.False(string.IsNullOrWhiteSpace(t["expr"]?.GetValue<string>()), $"'{title}' has a target without expr");
            });
        }
    }

    [Fact]
    public void Dashboard_Expressions_UseOnlyDefinedVariables()
    {
        var queries = ObservabilityFiles.PanelQueries();

        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.DoesNotContain("$", ObservabilityFiles.Resolve(q.Expression), StringComparison.Ordinal));
    }

    /// <summary>The panels the issue asks for are there (by the metric families they read).</summary>
    [Theory]
    [InlineData("extproc_requests_total")]
    [InlineData("extproc_variant_requests_total")]
    [InlineData("extproc_admissions_total")]
    [InlineData("gen_ai_client_token_usage_sum")]
    [InlineData("gen_ai_server_time_to_first_token_seconds_bucket")]
    [InlineData("gen_ai_server_time_per_output_token_seconds_bucket")]
    [InlineData("extproc_errors_total")]
    [InlineData("model:extproc_count_check_mismatch:ratio_rate5m")]
    [InlineData("extproc_count_check_difference_bucket")]
    [InlineData("extproc_breaker_state")]
    [InlineData("extproc_coalesce_batch_requests_bucket")]
    [InlineData("DCGM_FI_DEV_FB_USED")]
    [InlineData("hostname_gpu:DCGM_FI_DEV_GPU_UTIL:avg")]
    [InlineData("DCGM_FI_DEV_GPU_TEMP")]
    [InlineData("DCGM_FI_DEV_XID_ERRORS")]
    [InlineData("extproc_cache_lookups_total")]
    [InlineData("extproc_cache_local_hits_total")]
    [InlineData("extproc_budget_rejections_total")]
    public void Dashboard_Panels_CoverTheFamily(string family) =>
        Assert.Contains(ObservabilityFiles.PanelQueries(), q => q.Expression.Contains(family, StringComparison.Ordinal));
}
