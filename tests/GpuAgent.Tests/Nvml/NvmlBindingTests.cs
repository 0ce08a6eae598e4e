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

        Assert.Equal(new NvmlExports(true, true, true, true, true, true), _nvml.Exports);
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
    public void GetMemory_V2Available_ReportsReserved()
    {
        _nvml.Initialize();

        var memory = _nvml.GetMemory(_nvml.GetDeviceByIndex(0));

        Assert.Equal(new NvmlMemoryInfo(80 * FakeNvml.GiB, FakeNvml.GiB, 79 * FakeNvml.GiB, 80 * FakeNvml.GiB / 100), memory);
    }

    [Fact]
    public void GetMemory_V2Rejected_FallsBackToV1WithoutReserved()
    {
        FakeNvml.SetError(0, FakeField.MemoryV2, (int)NvmlReturn.ArgumentVersionMismatch);
        _nvml.Initialize();

        var memory = _nvml.GetMemory(_nvml.GetDeviceByIndex(0));

        Assert.Equal(new NvmlMemoryInfo(80 * FakeNvml.GiB, FakeNvml.GiB, 79 * FakeNvml.GiB, null), memory);
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
        FakeNvml.SetLost(1, 1);
        _nvml.Initialize();
        var device = _nvml.GetDeviceByIndex(1);

        var ex = Assert.Throws<NvmlException>(() => _nvml.GetMemory(device));

        Assert.Equal(NvmlReturn.GpuIsLost, ex.Code);
        Assert.Equal("NVML_ERROR_GPU_IS_LOST", ex.ErrorName);
    }

    private static NvmlBinding Create(string path) => new(Options.Create(new NvmlOptions { LibraryPath = path }));
}
