using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Observability;

/// <summary>The shipped dashboard, rules and canary analysis (<c>deploy/observability/</c>, <c>istio/Rollouts/</c>), read as data.</summary>
internal static partial class ObservabilityFiles
{
    public const string Directory = "deploy/observability";
    public const string DashboardPath = "deploy/observability/dashboards/ai-sidecar.json";
    public const string AnalysisTemplatePath = "istio/Rollouts/analysis-template.yaml";

    /// <summary>The rule files, as the Prometheus config and the kustomization list them.</summary>
    public static readonly string[] RuleFiles = ["deploy/observability/rules/recording.yaml", "deploy/observability/rules/alerts.yaml"];

    /// <summary>What Grafana's <c>$__rate_interval</c> becomes in the tests: wide enough to hold every scrape of a short run.</summary>
    public const string RateInterval = "5m";

    public static JsonObject Dashboard() => JsonNode.Parse(File.ReadAllText(RepoFiles.PathOf(DashboardPath)))!.AsObject();

    /// <summary>Every query panel's targets: (panel title, refId, expression as written).</summary>
    public static IReadOnlyList<PanelQuery> PanelQueries() =>
    [
        .. Dashboard()["panels"]!.AsArray()
            .Where(p => p!["type"]!.GetValue<string>() != "row")
            .SelectMany(p => p!["targets"]!.AsArray().Select(t => new PanelQuery(
                p["title"]!.GetValue<string>(), t!["refId"]!.GetValue<string>(), t["expr"]!.GetValue<string>()))),
    ];

    /// <summary>The dashboard's query variables: (name, query as written).</summary>
    public static IReadOnlyList<(string Name, string Query)> Variables() =>
    [
        .. Dashboard()["templating"]!["list"]!.AsArray()
            .Where(v => v!["type"]!.GetValue<string>() == "query")
            .Select(v => (v!["name"]!.GetValue<string>(), v["query"]!["query"]!.GetValue<string>())),
    ];

    /// <summary>
    /// A panel's expression as Grafana sends it with every variable at "All": <c>$__rate_interval</c> becomes
    /// <see cref="RateInterval"/>, a query variable its all-value <c>.*</c>. Throws on a variable the dashboard does not define.
    /// </summary>
    public static string Resolve(string expression)
    {
        var names = Variables().Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        return GrafanaVariable().Replace(expression, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;
            return name == "__rate_interval" ? RateInterval
                : names.Contains(name) ? ".*"
                : throw new InvalidOperationException($"'{expression}' uses ${name}, which the dashboard does not define.");
        });
    }

    /// <summary>Every rule of the rule files: (file, group, name: the recorded series or the alert, expression).</summary>
    public static IReadOnlyList<Rule> Rules() =>
    [
        .. RuleFiles.SelectMany(file => RepoFiles.LoadYaml(file).Single()["groups"]!.AsArray().SelectMany(group =>
            group!["rules"]!.AsArray().Select(rule => new Rule(
                file,
                group["name"]!.GetValue<string>(),
                rule!["record"]?.GetValue<string>(),
                rule["alert"]?.GetValue<string>(),
                rule["expr"]!.GetValue<string>().Trim())))),
    ];

    /// <summary>The AnalysisTemplate's metrics: (name, successCondition, query), with its arguments' defaults and <paramref name="args"/> filled in.</summary>
    public static IReadOnlyList<AnalysisMetric> AnalysisMetrics(IReadOnlyDictionary<string, string> args)
    {
        var spec = RepoFiles.LoadYaml(AnalysisTemplatePath).Single()["spec"]!;
        var values = spec["args"]!.AsArray()
            .Where(a => a!["value"] is not null)
            .ToDictionary(a => a!["name"]!.GetValue<string>(), a => a!["value"]!.GetValue<string>(), StringComparer.Ordinal);
        foreach (var (name, value) in args)
        {
            values[name] = value;
        }

        string Fill(string text) => TemplateArgument().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v
            : throw new InvalidOperationException($"The AnalysisTemplate uses args.{m.Groups[1].Value}, which has no value here."));

        return
        [
            .. spec["metrics"]!.AsArray().Select(m => new AnalysisMetric(
                m!["name"]!.GetValue<string>(),
                Fill(m["successCondition"]!.GetValue<string>()),
                Fill(m["provider"]!["prometheus"]!["query"]!.GetValue<string>()))),
        ];
    }

    [GeneratedRegex(@"\$(?:\{(?<braced>\w+)\}|(?<plain>\w+))")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"\{\{\s*args\.([\w-]+)\s*\}\}")]
    private static partial Regex TemplateArgument();
}

internal sealed record PanelQuery(string Panel, string RefId, string Expression)
{
    public override string ToString() => $"{Panel} ({RefId})";
}

internal sealed partial record Rule(string File, string Group, string? Record, string? Alert, string Expression)
{
    public string Name => Record ?? Alert!;

    /// <summary>
    /// What an alert compares with its threshold: the left side of <c>figure OP threshold</c>, or the series inside
    /// <c>absent(...)</c>; a recording rule's whole expression. Every alert is written in one of these two shapes.
    /// </summary>
    public string Figure
    {
        get
        {
            if (Record is not null)
            {
                return Expression;
            }

            var absent = AbsentShape().Match(Expression);
            if (absent.Success)
            {
                return absent.Groups[1].Value;
            }

            var comparison = ThresholdShape().Match(Expression);
            return comparison.Success
                ? comparison.Groups[1].Value.Trim()
                : throw new InvalidOperationException($"Alert {Alert}: '{Expression}' is neither 'figure OP number' nor 'absent(series)'.");
        }
    }

    public override string ToString() => Name;

    [GeneratedRegex(@"^absent\((.+)\)$", RegexOptions.Singleline)]
    private static partial Regex AbsentShape();

    [GeneratedRegex(@"^(.+?)\s*(?:==|!=|>=|<=|>|<)\s*-?[0-9.]+(?:e-?[0-9]+)?$", RegexOptions.Singleline)]
    private static partial Regex ThresholdShape();
}

internal sealed record AnalysisMetric(string Name, string SuccessCondition, string Query)
{
    public override string ToString() => Name;
}
