using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Budgets;

public sealed class BudgetOptionsTests
{
    [Fact]
    public void Validate_EnabledWithoutRedis_IsAnError()
    {
        var errors = TestConfigs.Errors("budgets:\n  enabled: true\n");

        Assert.Contains(errors, e => e.Contains("budgets.enabled: ", StringComparison.Ordinal) && e.Contains("needs redis.endpoints", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EnabledWithoutReadingUsage_IsAnError()
    {
        var errors = TestConfigs.Errors("redis:\n  endpoints: [\"127.0.0.1:6379\"]\nbudgets:\n  enabled: true\nresponses:\n  readUsage: false\n");

        Assert.Contains(errors, e => e.Contains("budgets.enabled: ", StringComparison.Ordinal) && e.Contains("needs responses.readUsage", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownKeyAndWrongType_AreErrorsWithTheirPlace()
    {
        var errors = TestConfigs.Errors("redis:\n  endpoint: x\nbudgets:\n  default:\n    tokensPerMinute: lots\n");

        Assert.Contains(errors, e => e.Contains(":2:3: redis.endpoint", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":5:5: budgets.default.tokensPerMinute", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TenantHeaderOtherThanCoalescings_IsAnError()
    {
        var errors = TestConfigs.Errors("coalescing:\n  tenantHeader: x-tenant\nbudgets:\n  tenantHeader: x-org\n");

        Assert.Contains(errors, e => e.Contains("budgets.tenantHeader: ", StringComparison.Ordinal) && e.Contains("differs from coalescing.tenantHeader", StringComparison.Ordinal));
    }
}
