using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Admission.Priority;

public sealed class PriorityOptionsValidatorTests
{
    [Fact]
    public void Load_ValidPrioritySection_Loads()
    {
        var config = TestConfigs.Load("""
            admission:
              priority:
                trustedCallers: [ "spiffe://cluster.local/ns/batch/sa/*" ]
                tenantHeader: x-tenant
                tenants: { acme: critical }
                apiKeys: { ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad: sheddable }
                default: standard
            """);

        Assert.Equal("x-tenant", config.Config.Admission.Priority.TenantHeader);
    }

    [Theory]
    [InlineData("header: X-Priority", "admission.priority.header", "lower-case header name")]
    [InlineData("header: x-ai-pool", "admission.priority.header", "owns")]
    [InlineData("identityHeader: x-priority", "admission.priority.identityHeader", "own header")]
    [InlineData("trustedCallers: [ \"spiffe://a/b;URI=x\" ]", "admission.priority.trustedCallers[0]", "SPIFFE ID")]
    [InlineData("trustedCallers: [ \"\" ]", "admission.priority.trustedCallers[0]", "non-empty")]
    [InlineData("tenants: { acme: critical }", "admission.priority.tenantHeader", "must name the header")]
    [InlineData("tenantHeader: x-tenant", "admission.priority.tenants", "is empty")]
    [InlineData("default: urgent", "admission.priority.default", "")]
    public void Load_WrongPrioritySetting_FailsAtItsKey(string setting, string path, string detail)
    {
        var errors = TestConfigs.Errors($"admission:\n  priority:\n    {setting}\n");

        Assert.Contains(errors, e => e.Contains(path, StringComparison.Ordinal) && e.Contains(detail, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ApiKeyInsteadOfItsHash_FailsWithoutRepeatingTheKey()
    {
        var errors = TestConfigs.Errors("admission:\n  priority:\n    apiKeys: { sk-live-secret-123: critical }\n");

        var error = Assert.Single(errors);
        Assert.Contains("admission.priority.apiKeys", error, StringComparison.Ordinal);
        Assert.Contains("64 lower-case hex digits", error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-secret-123", error, StringComparison.Ordinal);
    }
}
