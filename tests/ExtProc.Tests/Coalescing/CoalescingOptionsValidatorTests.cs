using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Coalescing;

public sealed class CoalescingOptionsValidatorTests
{
    private const string Valid = """
        catalogue:
          pools:
            - name: embed
              upstream: { url: "http://tei.llm.svc.cluster.local:8080" }
          models:
            - name: bge
              apis: [embeddings, rerank]
              versions: [{ name: v1, pool: embed }]
              coalesce: { maxWaitMs: 5 }
        """;

    [Fact]
    public void Load_ModelCoalescingIntoAPoolWithAnUpstream_CompilesTheApisItServes()
    {
        using var harness = new PipelineHarness(TestConfigs.Load(Valid));
        var model = harness.Table.Catalog.Find("bge")!;

        Assert.Equal(new HashSet<ApiKind> { ApiKind.Embeddings, ApiKind.Rerank }, model.CoalesceApis);
        Assert.Equal(TimeSpan.FromMilliseconds(5), model.CoalesceMaxWait);
    }

    [Fact]
    public void Load_EmptyCoalesce_IsAnErrorRatherThanSilentlyOff()
    {
        var errors = TestConfigs.Errors(Valid.Replace("coalesce: { maxWaitMs: 5 }", "coalesce: {}", StringComparison.Ordinal)).ToList();

        AssertError(errors, "catalogue.models[0].coalesce", "is empty, which would leave it off: write at least one of its keys (apis, maxWaitMs)");
    }

    [Fact]
    public void Load_PoolWithoutUpstreamOrApisThatCannotCoalesce_AreErrorsAtTheModel()
    {
        var errors = TestConfigs.Errors("""
            catalogue:
              pools:
                - name: chat
              models:
                - name: qwen
                  apis: [chat, completions]
                  versions: [{ name: v1, pool: chat }]
                  coalesce: { apis: [chat, embeddings] }
            """).ToList();

        AssertError(errors, "catalogue.models[0].coalesce.apis", "chat cannot be coalesced; only embeddings, rerank and completions can.");
        AssertError(errors, "catalogue.models[0].coalesce.apis", "model 'qwen' does not serve embeddings.");
        AssertError(errors, "catalogue.models[0].coalesce", "pool 'chat' (where 'qwen' can be sent) has no upstream");
    }

    [Fact]
    public void Load_ModelWithoutVersions_NeedsAnUpstreamOnEveryRangePool()
    {
        var errors = TestConfigs.Errors("""
            catalogue:
              pools:
                - name: llm-small
                  upstream: { url: "http://small:8000" }
              models:
                - name: bge
                  apis: [embeddings]
                  coalesce: { maxWaitMs: 5 }
            """).ToList();

        AssertError(errors, "catalogue.models[0].coalesce", "pool 'llm-medium'");
        AssertError(errors, "catalogue.models[0].coalesce", "pool 'llm-large'");
        Assert.DoesNotContain(errors, e => e.Contains("pool 'llm-small'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tei:8080", "absolute http:// or https:// URL")]
    [InlineData("http://tei:8080/?x=1", "without credentials, query or fragment")]
    [InlineData("http://user:pw@tei:8080", "without credentials, query or fragment")]
    public void Load_BadUpstreamUrl_IsAnErrorAtTheUrl(string url, string detail)
    {
        var errors = TestConfigs.Errors(Valid.Replace("http://tei.llm.svc.cluster.local:8080", url, StringComparison.Ordinal)).ToList();

        AssertError(errors, "catalogue.pools[0].upstream.url", detail);
    }

    [Fact]
    public void Load_MissingTokenFile_IsAnErrorAtItsKey()
    {
        var errors = TestConfigs.Errors(Valid.Replace("upstream: { url: \"http://tei.llm.svc.cluster.local:8080\" }",
            "upstream: { url: \"http://tei:8080\", bearerTokenFile: /nonexistent/token }", StringComparison.Ordinal)).ToList();

        AssertError(errors, "catalogue.pools[0].upstream.bearerTokenFile", "'/nonexistent/token' does not exist.");
    }

    [Fact]
    public void Load_OutOfRangeLimitAndUnknownPolicy_AreErrorsAtTheirKeys()
    {
        var errors = TestConfigs.Errors(Valid.Replace("upstream: { url: \"http://tei.llm.svc.cluster.local:8080\" }",
            "upstream: { url: \"http://tei:8080\", maxInFlight: 0 }", StringComparison.Ordinal)
            + "\ncoalescing:\n  onUpstreamFailure: retry\n").ToList();

        AssertError(errors, "catalogue.pools[0].upstream.maxInFlight", "must be from 1 to 1024");
        AssertError(errors, "coalescing.onUpstreamFailure", "found 'retry'");
    }

    [Fact]
    public void Load_TenantHeaderThatTheServerSets_IsAnError()
    {
        var errors = TestConfigs.Errors("coalescing:\n  tenantHeader: x-ai-pool\n").ToList();

        AssertError(errors, "coalescing.tenantHeader", "a header the server owns");
    }

    /// <summary>One of <paramref name="errors"/> (each <c>source:line:col: path: message</c>) is at <paramref name="path"/> and says <paramref name="detail"/>.</summary>
    private static void AssertError(List<string> errors, string path, string detail) =>
        Assert.True(errors.Any(e => e.Contains($": {path}: ", StringComparison.Ordinal) && e.Contains(detail, StringComparison.Ordinal)),
            $"Expected an error at {path} containing '{detail}', got:\n{string.Join("\n", errors)}");
}
