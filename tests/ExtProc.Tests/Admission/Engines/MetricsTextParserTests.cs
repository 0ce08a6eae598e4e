using System.Text;
using AiSidecar.ExtProc.Admission.Engines;

namespace AiSidecar.ExtProc.Tests.Admission.Engines;

public sealed class MetricsTextParserTests
{
    private static readonly MetricNames Wanted = new("queue", "kv", "info");

    private static List<MetricSample> Parse(string text) => MetricsTextParser.Parse(Encoding.UTF8.GetBytes(text), Wanted);

    [Fact]
    public void Parse_EscapedLabelsTimestampsAndSpecialValues_ReadsEachSample()
    {
        var samples = Parse(
            "# HELP queue Requests \\\\ waiting.\n# TYPE queue gauge\n" +
            "queue{model=\"a \\\"quoted\\\" \\\\ back\\nline\",path=\"/x,y}\"} 3 1712345678901\r\n" +
            "queue{model=\"b\",} +Inf\n" +
            "kv -Inf\n" +
            "kv{ a = \"1\" } NaN\n" +
            "info{x=\"é\"} 1.5e-3\n");

        Assert.Equal(5, samples.Count);
        Assert.Equal("a \"quoted\" \\ back\nline", samples[0].Label("model"));
        Assert.Equal("/x,y}", samples[0].Label("path"));
        Assert.Equal(3, samples[0].Value);
        Assert.Equal(double.PositiveInfinity, samples[1].Value);
        Assert.Equal(double.NegativeInfinity, samples[2].Value);
        Assert.True(double.IsNaN(samples[3].Value));
        Assert.Equal("1", samples[3].Label("a"));
        Assert.Equal("é", samples[4].Label("x"));
        Assert.Equal(0.0015, samples[4].Value);
    }

    [Fact]
    public void Parse_OpenMetricsWithExemplarsCreatedAndEof_SkipsWhatCarriesNoLoad()
    {
        var samples = Parse(
            "# TYPE requests counter\n# UNIT requests requests\n" +
            "requests_total{code=\"200\"} 1027 # {trace_id=\"KOO5S4vxi0o\"} 0.67 1520879607.789\n" +
            "requests_created{code=\"200\"} 1520430000.123\n" +
            "queue 7 1520879607.789 # {trace_id=\"x\"} 1\n" +
            "# EOF\n" +
            "queue 99\n");

        var sample = Assert.Single(samples);
        Assert.Equal(("queue", 7.0), (sample.Name, sample.Value));
    }

    [Fact]
    public void Parse_UnwantedFamilies_AreSkippedWithoutParsing()
    {
        // Other families' lines are not parsed (not even a broken one); a longer name that starts with a wanted one is
        // parsed and left out.
        var samples = Parse("other_bucket{le=\"0.5\",model=\"m\"} 4\nqueue 1\nother_sum{broken 2.5 x y\nqueue_total 9\n");

        Assert.Equal(("queue", 1.0), (Assert.Single(samples).Name, Assert.Single(samples).Value));
    }

    [Fact]
    public void Parse_LineThatCannotStartAMetricNameAfterSamples_ThrowsWithTheLine()
    {
        var error = Assert.Throws<MetricsFormatException>(() => Parse("# TYPE other gauge\nother 1\nqueue 2\n<p>oops</p>\n"));

        Assert.StartsWith("line 4: expected a metric name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "line 1: expected a metric name")]
    [InlineData("queue{model=\"a} 1", "line 1: unterminated label value")]
    [InlineData("queue{model=a} 1", "line 1: expected =\"value\"")]
    [InlineData("# HELP queue x\nqueue one", "line 2: the value is not a number")]
    [InlineData("queue 1 2 3", "line 1: unexpected text after the sample")]
    [InlineData("queue{9x=\"1\"} 1", "line 1: expected a label name")]
    [InlineData("queue{a=\"1\" b=\"2\"} 1", "line 1: expected ',' or '}'")]
    [InlineData("queue-1 2", "line 1: expected labels or a value")]
    [InlineData("{\"error\": \"not found\"}", "line 1: expected a metric name")]
    [InlineData("503 Service Unavailable", "line 1: expected a metric name")]
    [InlineData("queue_bucket{le=\"1\"} x", "line 1: the value is not a number")]
    public void Parse_MalformedText_ThrowsWithTheLine(string text, string detail)
    {
        var error = Assert.Throws<MetricsFormatException>(() => Parse(text));

        Assert.StartsWith(detail, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LineOverTheCap_Throws()
    {
        var text = "queue{model=\"" + new string('x', MetricsTextParser.MaxLineBytes) + "\"} 1\n";

        var error = Assert.Throws<MetricsFormatException>(() => Parse(text));

        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyPage_HasNoSamples()
    {
        Assert.Empty(Parse("\n\n# just a comment\n"));
    }
}
