using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.Nvml.Interop;
using AiSidecar.GpuAgent.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Tests.Nvml;

/// <summary>
/// The fake must answer raw calls as NVML does (nvml.h), not merely as our binding expects, or it hides binding bugs.
/// These call the source-generated imports directly once the binding has bound them to the fake.
/// </summary>
public sealed unsafe class FakeNvmlFidelityTests : IDisposable
{
    private readonly NvmlBinding _nvml;

    public FakeNvmlFidelityTests()
    {
        FakeNvml.ResetWithGpus(1);
        _nvml = new NvmlBinding(Options.Create(new NvmlOptions { LibraryPath = FakeNvml.LibraryPath }));
        Assert.Equal(NvmlReturn.Success, _nvml.Initialize());
    }

    public void Dispose() => _nvml.Shutdown();

    [Fact]
    public void DeviceCall_NullHandle_ReturnsInvalidArgument()
    {
        var buffer = stackalloc byte[96];
        NvmlMemoryV1 memory;

        Assert.Equal(NvmlReturn.InvalidArgument, NvmlNative.DeviceGetUuid(0, buffer, 96));
        Assert.Equal(NvmlReturn.InvalidArgument, NvmlNative.DeviceGetMemoryInfo(0, &memory));
        Assert.Equal(NvmlReturn.InvalidArgument, NvmlNative.DeviceGetPowerUsage(0, out _));
    }

    [Fact]
    public void GetTemperatureV_InvalidSensor_ReturnsInvalidArgumentNotVersionMismatch()
    {
        var device = _nvml.GetDeviceByIndex(0).Handle;
        var badSensor = new NvmlTemperatureV { Version = NvmlTemperatureV.StructVersion, SensorType = 7 };
        var badVersion = new NvmlTemperatureV { Version = 0x0100000B, SensorType = 0 };

        Assert.Equal(NvmlReturn.InvalidArgument, NvmlNative.DeviceGetTemperatureV(device, &badSensor));
        Assert.Equal(NvmlReturn.ArgumentVersionMismatch, NvmlNative.DeviceGetTemperatureV(device, &badVersion));
    }

    [Fact]
    public void GetComputeRunningProcessesV3_NullBufferWithNonZeroCount_ReturnsInvalidArgument()
    {
        var device = _nvml.GetDeviceByIndex(0).Handle;
        uint count = 4;
        uint sizing = 0;

        Assert.Equal(NvmlReturn.InvalidArgument, NvmlNative.DeviceGetComputeRunningProcessesV3(device, ref count, null));
        Assert.Equal(NvmlReturn.InsufficientSize, NvmlNative.DeviceGetComputeRunningProcessesV3(device, ref sizing, null));
        Assert.Equal(1u, sizing);
    }

    [Fact]
    public void GetMemoryInfo_V1AndV2_FollowNvmlUsedSemantics()
    {
        var device = _nvml.GetDeviceByIndex(0).Handle;
        NvmlMemoryV1 v1;
        var v2 = new NvmlMemoryV2 { Version = NvmlMemoryV2.StructVersion };

        Assert.Equal(NvmlReturn.Success, NvmlNative.DeviceGetMemoryInfo(device, &v1));
        Assert.Equal(NvmlReturn.Success, NvmlNative.DeviceGetMemoryInfoV2(device, &v2));

        Assert.Equal(v2.Total, v2.Reserved + v2.Used + v2.Free); // v2: used is allocated memory only.
        Assert.Equal(v1.Total, v1.Used + v1.Free);               // v1: used includes reserved.
        Assert.Equal(v2.Reserved + v2.Used, v1.Used);
        Assert.Equal(FakeNvml.GiB, v2.Used);
    }
}
