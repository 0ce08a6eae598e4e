using AiSidecar.GpuAgent.Nvml;

namespace AiSidecar.GpuAgent.Tests.Nvml;

public sealed class NvmlReturnExtensionsTests
{
    [Fact]
    public void ToErrorName_EveryCode_HasDistinctNvmlName()
    {
        var names = Enum.GetValues<NvmlReturn>().Select(c => c.ToErrorName()).ToList();

        Assert.All(names, n => Assert.StartsWith("NVML_", n, StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(32, names.Count);
    }

    [Theory]
    [InlineData(15, "NVML_ERROR_GPU_IS_LOST")]
    [InlineData(12, "NVML_ERROR_LIBRARY_NOT_FOUND")]
    [InlineData(25, "NVML_ERROR_ARGUMENT_VERSION_MISMATCH")]
    [InlineData(77, "NVML_ERROR_UNRECOGNIZED_77")]
    public void ToErrorName_Code_ReturnsHeaderName(int code, string expected)
    {
        Assert.Equal(expected, ((NvmlReturn)code).ToErrorName());
    }

    [Fact]
    public void IsPresent_NotSupported_ReturnsFalse()
    {
        Assert.False(NvmlReturn.NotSupported.IsPresent("nvmlDeviceGetPowerUsage"));
        Assert.True(NvmlReturn.Success.IsPresent("nvmlDeviceGetPowerUsage"));
    }

    [Fact]
    public void IsPresent_OtherError_ThrowsNamedException()
    {
        var ex = Assert.Throws<NvmlException>(() => NvmlReturn.NoPermission.IsPresent("nvmlDeviceGetPowerUsage"));

        Assert.Equal("NVML_ERROR_NO_PERMISSION", ex.ErrorName);
        Assert.Equal("nvmlDeviceGetPowerUsage", ex.Function);
    }
}
