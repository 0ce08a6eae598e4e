using AiSidecar.ExtProc.Tests.Admission.Gpu;

namespace AiSidecar.ExtProc.Tests.Observability;

/// <summary>
/// Every dashboard panel's query, every dashboard variable, every recording rule and every alert's figure, and the
/// canary analysis's queries, evaluated by a real Prometheus scraping the real server and GPU agent under load
/// (<see cref="LiveObservability"/>): each returns data (a number, not only NaN), so none is a typo or reads a family
/// the server does not export.
/// </summary>
[Collection(FakeNvmlGroup.Name)]
public sealed class LivePrometheusTests(LiveObservability live) : IClassFixture<LiveObservability>
{
    public static TheoryData<string, string> Panels()
    {
        var data = new TheoryData<string, string>();
        foreach (var query in ObservabilityFiles.PanelQueries())
        {
            data.Add(query.Panel, query.RefId);
        }

        return data;
    }

    public static TheoryData<string> Rules() => new(ObservabilityFiles.Rules().Select(r => r.Name));

    public static TheoryData<string> Variables() => new(ObservabilityFiles.Variables().Select(v => v.Name));

    [Fact]
    public async Task Scrape_ShippedJobs_BothTargetsUp()
    {
        var up = await live.Prometheus.QueryAsync("up", live.At);

        Assert.Equal(
            ["ai-sidecar-extproc 1", "ai-sidecar-gpu-agent 1"],
            up.Samples.Select(s => $"{System.Text.Json.Nodes.JsonNode.Parse(s.Labels)!["job"]} {s.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_Exchanges_TookTheirIntendedPaths()
    {
        Assert.All(live.Rounds, round =>
        {
            Assert.Equal(200, round["json"].Response.Status);
            Assert.Equal(200, round["sse"].Response.Status);
            Assert.Equal("canary", round["canary"].Forwarded!.Headers["x-ai-variant"]);
            Assert.Equal(503, round["canary"].Response.Status);
            Assert.Equal("llm-chat", round["overflow"].Forwarded!.Headers["x-ai-pool"]);
            Assert.Equal(429, round["shed"].Response.Status);
            Assert.Equal(400, round["malformed"].Response.Status);
            Assert.Equal("1", round["coalesced"].Response.Headers["x-ai-coalesced"]);
            Assert.Equal(200, round["cached"].Response.Status);
            Assert.Equal(429, round["overbudget"].Response.Status);
        });
        Assert.Equal(["miss", "hit"], live.Rounds.Select(r => r["cached"].Response.Headers["x-ai-cache"]));
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task Dashboard_PanelQuery_ReturnsData(string panel, string refId)
    {
        var query = ObservabilityFiles.PanelQueries().Single(q => q.Panel == panel && q.RefId == refId);

        await AssertDataAsync(ObservabilityFiles.Resolve(query.Expression));
    }

    [Theory]
    [MemberData(nameof(Variables))]
    public async Task Dashboard_Variable_HasValues(string name)
    {
        var query = ObservabilityFiles.Variables().Single(v => v.Name == name).Query;
        var call = System.Text.RegularExpressions.Regex.Match(query, @"^label_values\((?:(?<match>[^,]+),\s*)?(?<label>\w+)\)$");
        Assert.True(call.Success, $"'{query}' is not label_values([series,] label)");

        var values = await live.Prometheus.LabelValuesAsync(call.Groups["label"].Value, call.Groups["match"].Success ? call.Groups["match"].Value : null);

        Assert.NotEmpty(values);
    }

    /// <summary>A recording rule's expression, and its recorded series; an alert's figure (what its threshold is compared with).</summary>
    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Rule_Figure_ReturnsData(string name)
    {
        var rule = ObservabilityFiles.Rules().Single(r => r.Name == name);

        await AssertDataAsync(rule.Figure);
        if (rule.Record is not null)
        {
            await AssertDataAsync(rule.Record);
        }
    }

    [Fact]
    public async Task Rules_AsPrometheusRunsThem_AllHealthy()
    {
        var rules = (await live.Prometheus.RuleGroupsAsync()).SelectMany(g => g!["rules"]!.AsArray()).ToList();

        Assert.Equal(ObservabilityFiles.Rules().Select(r => r.Name).Order(StringComparer.Ordinal), rules.Select(r => r!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(rules, r => Assert.True(r!["health"]!.GetValue<string>() == "ok", $"{r["name"]}: {r["lastError"]}"));
    }

    /// <summary>
    /// Every request answered 2xx. (The error rate is 0 or a little under: a scrape between a request's count and its
    /// response's can start the responses series one scrape later, and rate() extrapolates the two series differently.)
    /// </summary>
    [Fact]
    public async Task AnalysisTemplate_StableVariantAnsweredEverything_Passes()
    {
        var verdicts = await VerdictsAsync("qwen3-8b", "stable");

        Assert.Equal(["error-rate Successful", "p99-latency Successful"], verdicts.Select(v => v[..v.IndexOf(" [", StringComparison.Ordinal)]));
    }

    /// <summary>Its requests were routed but Envoy answered them itself: an error rate of 1, and no latency at all.</summary>
    [Fact]
    public async Task AnalysisTemplate_CanaryNeverAnswered_Fails()
    {
        var verdicts = await VerdictsAsync("qwen3-8b", "canary");

        Assert.Equal(["error-rate Failed [1]", "p99-latency Failed []"], verdicts);
    }

    /// <summary>A variant that took no request: both queries return nothing.</summary>
    [Fact]
    public async Task AnalysisTemplate_VariantWithoutTraffic_Fails()
    {
        var verdicts = await VerdictsAsync("bge-m3", "canary");

        Assert.Equal(["error-rate Failed []", "p99-latency Failed []"], verdicts);
    }

    /// <summary>Each metric's verdict on the measurement at <see cref="LiveObservability.At"/>: "name verdict [values]".</summary>
    private async Task<List<string>> VerdictsAsync(string model, string variant)
    {
        var verdicts = new List<string>();
        foreach (var metric in ObservabilityFiles.AnalysisMetrics(new Dictionary<string, string>(StringComparer.Ordinal) { ["model"] = model, ["variant"] = variant }))
        {
            var result = await live.Prometheus.QueryAsync(metric.Query, live.At);
            Assert.Null(result.Error);
            var values = result.Samples.Select(s => s.Value).ToList();
            verdicts.Add($"{metric.Name} {AnalysisCondition.Verdict(metric.SuccessCondition, values)} [{string.Join(",", values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]");
        }

        return verdicts;
    }

    private async Task AssertDataAsync(string query)
    {
        var result = await live.Prometheus.QueryAsync(query, live.At);

        Assert.True(result.Error is null && result.Samples.Any(s => !double.IsNaN(s.Value)), $"{query}\nreturned {result}\nPrometheus log:\n{live.Prometheus.Log}");
    }
}
