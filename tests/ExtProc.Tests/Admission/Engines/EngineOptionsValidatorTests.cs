using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Admission.Engines;

public sealed class EngineOptionsValidatorTests
{
    [Fact]
    public void Load_TimeoutNotBelowInterval_IsAnErrorAtTheTimeout()
    {
        var errors = TestConfigs.Errors("admission:\n  scrape:\n    intervalMs: 250\n    timeoutMs: 250\n").ToList();

        AssertError(errors, "admission.scrape.timeoutMs", "250 must be below admission.scrape.intervalMs (250)");
    }

    [Fact]
    public void Load_BadEngineEndpointsServiceAndPath_AreErrorsAtTheirKeys()
    {
        var errors = TestConfigs.Errors("""
            catalogue:
              pools:
                - name: a
                  engine:
                    kind: vllm
                    endpoints: [http://10.0.0.5:8000/metrics, 10.0.0.6:8000/metrics, ftp://10.0.0.7/metrics]
                    service: vllm-large
                    path: metrics
                - name: b
                  engine:
                    kind: tgi
            """).ToList();

        AssertError(errors, "catalogue.pools[0].engine.endpoints[1]", "absolute http:// or https:// URL");
        AssertError(errors, "catalogue.pools[0].engine.endpoints[2]", "absolute http:// or https:// URL");
        AssertError(errors, "catalogue.pools[0].engine.service", "must be name:port");
        AssertError(errors, "catalogue.pools[0].engine.path", "starting with '/'");
        AssertError(errors, "catalogue.pools[1].engine", "needs endpoints or a service");
        Assert.DoesNotContain(errors, e => e.Contains("endpoints[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ValidEngine_HasNoError()
    {
        Assert.Empty(TestConfigs.Errors("""
            catalogue:
              pools:
                - name: a
                  engine:
                    kind: sglang
                    endpoints: ["https://[fd00::5]:30000/metrics"]
                    service: sglang.llm.svc.cluster.local:30000
            """));
    }

    /// <summary>Asserts that one of <paramref name="errors"/> (<c>file:line:col: path: message</c>) is at <paramref name="path"/> and says <paramref name="detail"/>.</summary>
    private static void AssertError(List<string> errors, string path, string detail) =>
        Assert.Contains(errors, e => e.Contains($" {path}: ", StringComparison.Ordinal) && e.Contains(detail, StringComparison.Ordinal));
}
