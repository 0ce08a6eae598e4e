using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Caching;

public sealed class CacheOptionsTests
{
    [Fact]
    public void Validate_EnabledWithoutRedis_IsAnError()
    {
        var errors = TestConfigs.Errors("cache:\n  enabled: true\n");

        Assert.Contains(errors, e => e.Contains("cache.enabled: ", StringComparison.Ordinal) && e.Contains("needs redis.endpoints", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownKeyWrongTypeAndRange_AreErrorsWithTheirPlace()
    {
        var errors = TestConfigs.Errors("cache:\n  ttl: 5\n  models:\n    qwen3:\n      ttlSeconds: soon\n");
        var ranges = TestConfigs.Errors("cache:\n  default:\n    maxEntryBytes: 10\n  models:\n    qwen3:\n      ttlSeconds: 0\n");

        Assert.Contains(errors, e => e.Contains(":2:3: cache.ttl", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":5:7: cache.models.qwen3.ttlSeconds", StringComparison.Ordinal));
        Assert.Contains(ranges, e => e.Contains(":3:5: cache.default.maxEntryBytes", StringComparison.Ordinal));
        Assert.Contains(ranges, e => e.Contains(":6:7: cache.models.qwen3.ttlSeconds", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("budgets")]
    [InlineData("coalescing")]
    public void Validate_TenantHeaderOtherThanAnotherSections_IsAnError(string section)
    {
        var errors = TestConfigs.Errors($"{section}:\n  tenantHeader: x-tenant\ncache:\n  tenantHeader: x-org\n");

        Assert.Contains(errors, e => e.Contains("cache.tenantHeader: ", StringComparison.Ordinal) && e.Contains($"differs from {section}.tenantHeader", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("budgets")]
    public void Validate_RedisTimeoutPastTheMessageDeadline_IsAnError(string section)
    {
        var errors = TestConfigs.Errors($"redis:\n  endpoints: [\"127.0.0.1:6379\"]\n  operationTimeoutMs: 180\n{section}:\n  enabled: true\n");

        Assert.Contains(errors, e => e.Contains(":3:3: redis.operationTimeoutMs: 180 must be below 90 % of processing.messageTimeoutMs (180 ms)", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CacheableHeaderTheServerOwns_IsAnError()
    {
        var errors = TestConfigs.Errors("cache:\n  cacheableHeader: x-ai-pool\n");

        Assert.Contains(errors, e => e.Contains("cache.cacheableHeader: ", StringComparison.Ordinal) && e.Contains("the server owns", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TenantHeaderOnlyInTheCache_IsTheServersTenantHeader()
    {
        var config = TestConfigs.Load("redis:\n  endpoints: [\"127.0.0.1:6379\"]\ncache:\n  enabled: true\n  tenantHeader: x-org\n  cacheableHeader: x-cacheable\n").Config;

        var capture = AiSidecar.ExtProc.Routing.HeadCapture.From(config);

        Assert.Equal("x-org", capture.TenantHeader);
        Assert.True(capture.HashApiKeys);
        Assert.Equal(["cache-control", "x-cacheable"], capture.Headers);
    }
}
