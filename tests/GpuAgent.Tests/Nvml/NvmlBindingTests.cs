using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Tests.Nvml;

/// <summary>The real LibraryImport binding against the fake library.</summary>
public sealed class NvmlBindingTests : IDisposable
{
    private readonly NvmlBinding _nvml;

    public NvmlBindingTests()
    {
        FakeNvml.ResetWithGpus(2);
        _nvml = Create(FakeNvml.LibraryPath);
    }

    public void Dispose() => _nvml.Shutdown();

    [Fact]
    public void Initialize_MissingLibrary_ReturnsLibraryNotFound()
    {
        var nvml = Create("/nonexistent/libnvidia-ml.so.1");

        Assert.Equal(NvmlReturn.LibraryNotFound, nvml.Initialize());
        Assert.Null(nvml.Exports);
    }

    [Fact]
    public void Initialize_LibraryWithoutNvmlExports_ReturnsFunctionNotFound()
    {
        var nvml = Create("libc.so.6");

        Assert.Equal(NvmlReturn.FunctionNotFound, nvml.Initialize());
        Assert.Equal(NvmlReturn.Success, _nvml.Initialize());
    }

    [Fact]
    public void Initialize_DriverNotLoaded_ReturnsCode()
    {
        FakeNvml.SetInitResult((int)NvmlReturn.DriverNotLoaded);

        Assert.Equal(NvmlReturn.DriverNotLoaded, _nvml.Initialize());
    }

    [Fact]
    public void Initialize_FakeLibrary_FindsOptionalExports()
    {
        Assert.Equal(NvmlReturn.Success, _nvml.Initialize());

        Assert.Equal(new NvmlExports(true, true, true, true, true, true, true), _nvml.Exports);
    }

    [Fact]
    public void Identity_TwoGpus_ReadsNameUuidAndPciBusId()
    {
        _nvml.Initialize();

        Assert.Equal(2u, _nvml.GetDeviceCount());
        var device = _nvml.GetDeviceByIndex(1);
        Assert.Equal(FakeNvml.Uuid(1), _nvml.GetUuid(device));
        Assert.Equal("NVIDIA H100 80GB HBM3", _nvml.GetName(device));
        Assert.Equal("00000000:18:00.0", _nvml.GetPciBusId(device));
    }

    [Fact]
    public void GetDeviceByIndex_OutOfRange_ThrowsInvalidArgument()
    {
        _nvml.Initialize();

        var ex = Assert.Throws<NvmlException>(() => _nvml.GetDeviceByIndex(5));

        Assert.Equal("NVML_ERROR_INVALID_ARGUMENT", ex.ErrorName);
    }

    [Fact]
    public void GetMemory_V2Available_ReportsUsedAsTotalMinusFreeAndReservedSeparately()
    {
        _nvml.Initialize();

        var memory = _nvml.GetMemory(_nvml.GetDeviceByIndex(0));

        // The fake allocates 1 GiB and reserves 1 %; v2's own used field is the 1 GiB only.
        var used = FakeNvml.GiB + FakeNvml.Reserved80;
        Assert.Equal(new NvmlMemoryInfo(80 * FakeNvml.GiB, used, (80 * FakeNvml.GiB) - used, FakeNvml.Reserved80), memory);
    }

    [Fact]
    public void GetMemory_V2Rejected_FallsBackToV1WithoutReserved()
    {
        FakeNvml.SetError(0, FakeField.MemoryV2, (int)NvmlReturn.ArgumentVersionMismatch);
        _nvml.Initialize();

        var memory = _nvml.GetMemory(_nvml.GetDeviceByIndex(0));

        var used = FakeNvml.GiB + FakeNvml.Reserved80;
        Assert.Equal(new NvmlMemoryInfo(80 * FakeNvml.GiB, used, (80 * FakeNvml.GiB) - used, null), memory);
    }

    [Fact]
    public void GetMemory_V2AndV1Paths_ReportTheSameUsed()
    {
        _nvml.Initialize();
        var device = _nvml.GetDeviceByIndex(1);
        var v2 = _nvml.GetMemory(device);
        FakeNvml.SetError(1, FakeField.MemoryV2, (int)NvmlReturn.NotSupported);

        var v1 = _nvml.GetMemory(device);

        Assert.NotNull(v2?.Reserved);
        Assert.Null(v1?.Reserved);
        Assert.Equal((v1?.Total, v1?.Used, v1?.Free), (v2?.Total, v2?.Used, v2?.Free));
    }

    [Fact]
    public void GetDeviceByIndex_NoPermission_ThrowsNoPermissionForThatGpuOnly()
    {
        FakeNvml.SetError(0, FakeField.Handle, (int)NvmlReturn.NoPermission);
        _nvml.Initialize();

        var ex = Assert.Throws<NvmlException>(() => _nvml.GetDeviceByIndex(0));

        Assert.Equal(NvmlReturn.NoPermission, ex.Code);
        Assert.Equal(2u, _nvml.GetDeviceCount());
        Assert.Equal(FakeNvml.Uuid(1), _nvml.GetUuid(_nvml.GetDeviceByIndex(1)));
    }

    [Fact]
    public void GetClockEventReasons_DeprecatedThrottleSymbolFails_UsesClocksEventReasons()
    {
        FakeNvml.SetClockReasons(0, 0x20);
        FakeNvml.SetError(0, FakeField.ClocksLegacy, (int)NvmlReturn.Deprecated);
        _nvml.Initialize();

        Assert.Equal(0x20ul, _nvml.GetClockEventReasons(_nvml.GetDeviceByIndex(0)));
    }

    [Fact]
    public void Readings_PlainGpu_ReturnUtilizationTemperatureAndPower()
    {
        _nvml.Initialize();
        var device = _nvml.GetDeviceByIndex(1);

        Assert.Equal(new NvmlUtilizationInfo(41, 20), _nvml.GetUtilization(device));
        Assert.Equal(51, _nvml.GetTemperatureCelsius(device));
        Assert.Equal(301_000u, _nvml.GetPowerMilliwatts(device));
        Assert.Equal(0ul, _nvml.GetClockEventReasons(device));
        Assert.False(_nvml.GetMigEnabled(device));
    }

    [Fact]
    public void GetPowerMilliwatts_NotSupported_ReturnsNull()
    {
        FakeNvml.SetError(0, FakeField.Power, (int)NvmlReturn.NotSupported);
        _nvml.Initialize();

        Assert.Null(_nvml.GetPowerMilliwatts(_nvml.GetDeviceByIndex(0)));
    }

    [Fact]
    public void GetTemperatureCelsius_NoPermission_ThrowsNamedError()
    {
        FakeNvml.SetError(0, FakeField.Temperature, (int)NvmlReturn.NoPermission);
        _nvml.Initialize();

        var ex = Assert.Throws<NvmlException>(() => _nvml.GetTemperatureCelsius(_nvml.GetDeviceByIndex(0)));

        Assert.Equal("NVML_ERROR_NO_PERMISSION", ex.ErrorName);
    }

    [Fact]
    public void AnyReading_GpuLost_ThrowsGpuIsLost()
    {
        _nvml.Initialize();
        var device = _nvml.GetDeviceByIndex(1);
        FakeNvml.SetLost(1, 1);

        var ex = Assert.Throws<NvmlException>(() => _nvml.GetMemory(device));

        Assert.Equal(NvmlReturn.GpuIsLost, ex.Code);
        Assert.Equal("NVML_ERROR_GPU_IS_LOST", ex.ErrorName);
    }

    [Fact]
    public void GetDeviceByIndex_GpuLostBeforeHandle_ThrowsGpuIsLost()
    {
        FakeNvml.SetLost(1, 1);
        _nvml.Initialize();

        var ex = Assert.Throws<NvmlException>(() => _nvml.GetDeviceByIndex(1));

        Assert.Equal(NvmlReturn.GpuIsLost, ex.Code);
    }

    private static NvmlBinding Create(string path) => new(Options.Create(new NvmlOptions { LibraryPath = path }));
}
