using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.Sampling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Options_NoConfiguration_UseDocumentedDefaults()
    {
        using var provider = Build(new Dictionary<string, string?>());

        var nvml = provider.GetRequiredService<IOptions<NvmlOptions>>().Value;
        var sampling = provider.GetRequiredService<IOptions<SamplingOptions>>().Value;
        var xid = provider.GetRequiredService<IOptions<XidOptions>>().Value;

        Assert.Equal(("libnvidia-ml.so.1", TimeSpan.FromSeconds(5)), (nvml.LibraryPath, nvml.CallTimeout));
        Assert.Equal(TimeSpan.FromSeconds(1), sampling.Interval);
        Assert.Equal(new ulong[] { 13, 31, 43, 45, 68, 109 }, xid.ParseIgnoredXids().Order());
    }

    [Theory]
    [InlineData("GpuAgent:Sampling:Interval", "00:00:00")]
    [InlineData("GpuAgent:Nvml:CallTimeout", "00:10:00")]
    [InlineData("GpuAgent:Xid:IgnoredXids", "13,abc")]
    [InlineData("GpuAgent:MetricsPort", "70000")]
    public void Options_InvalidValue_FailValidation(string key, string value)
    {
        using var provider = Build(new Dictionary<string, string?> { [key] = value });

        var validators = provider.GetServices<IStartupValidator>();

        Assert.Throws<OptionsValidationException>(() => validators.Single().Validate());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddGpuAgent();
        return services.BuildServiceProvider();
    }
}
