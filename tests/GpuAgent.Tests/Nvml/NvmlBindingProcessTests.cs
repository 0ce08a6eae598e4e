using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Tests.Nvml;

/// <summary>Processes, MIG and events through the real binding.</summary>
public sealed class NvmlBindingProcessTests : IDisposable
{
    private readonly NvmlBinding _nvml;

    public NvmlBindingProcessTests()
    {
        FakeNvml.ResetWithGpus(2);
        _nvml = new NvmlBinding(Options.Create(new NvmlOptions { LibraryPath = FakeNvml.LibraryPath }));
        _nvml.Initialize();
    }

    public void Dispose() => _nvml.Shutdown();

    [Fact]
    public void GetComputeProcesses_OneProcess_ReturnsPidAndMemoryWithoutMigIds()
    {
        var processes = _nvml.GetComputeProcesses(_nvml.GetDeviceByIndex(0));

        Assert.Equal([new NvmlProcessEntry(4000, FakeNvml.GiB / 2, null, null)], processes!);
    }

    [Fact]
    public void GetComputeProcesses_NoProcesses_ReturnsEmpty()
    {
        FakeNvml.Reset();
        FakeNvml.AddGpu(FakeNvml.Uuid(0), "idle", FakeNvml.GiB, 0, 0, 0, 30, 50_000);

        Assert.Empty(_nvml.GetComputeProcesses(_nvml.GetDeviceByIndex(0))!);
    }

    [Fact]
    public void GetComputeProcesses_ListGrowsBetweenSizingAndFill_RetriesAndReturnsAll()
    {
        for (uint pid = 1; pid <= 30; pid++)
        {
            FakeNvml.AddProcess(0, 10_000 + pid, pid * FakeNvml.GiB / 64);
        }

        FakeNvml.GrowProcessesOnce(0, 20);

        var processes = _nvml.GetComputeProcesses(_nvml.GetDeviceByIndex(0))!;

        Assert.Equal(51, processes.Count);
        Assert.Equal(10_030u, processes[30].Pid);
        Assert.Equal(30 * FakeNvml.GiB / 64, processes[30].UsedMemory);
    }

    [Fact]
    public void GetComputeProcesses_SizingCallNotSupported_ReturnsNull()
    {
        FakeNvml.SetError(0, FakeField.Processes, (int)NvmlReturn.NotSupported);

        Assert.Null(_nvml.GetComputeProcesses(_nvml.GetDeviceByIndex(0)));
    }

    [Fact]
    public void GetComputeProcesses_FillCallNotSupported_ReturnsNull()
    {
        FakeNvml.SetError(0, FakeField.ProcessesFill, (int)NvmlReturn.NotSupported);

        Assert.Null(_nvml.GetComputeProcesses(_nvml.GetDeviceByIndex(0)));
    }

    [Fact]
    public void GetComputeProcesses_FillCallOtherError_Throws()
    {
        FakeNvml.SetError(0, FakeField.ProcessesFill, (int)NvmlReturn.NoPermission);

        var ex = Assert.Throws<NvmlException>(() => _nvml.GetComputeProcesses(_nvml.GetDeviceByIndex(0)));

        Assert.Equal(NvmlReturn.NoPermission, ex.Code);
    }

    [Fact]
    public void GetComputeProcesses_MigEnabledGpuHandle_ReturnsAggregateOfInstances()
    {
        var first = FakeNvml.AddMig(0, "MIG-aaaa", "NVIDIA H100 80GB HBM3 MIG 1g.10gb", 7, 0, 10 * FakeNvml.GiB, FakeNvml.GiB);
        var second = FakeNvml.AddMig(0, "MIG-bbbb", "NVIDIA H100 80GB HBM3 MIG 3g.40gb", 2, 1, 40 * FakeNvml.GiB, 0);
        FakeNvml.AddProcess(first, 777, FakeNvml.GiB);
        FakeNvml.AddProcess(second, 888, FakeNvml.GiB);

        var processes = _nvml.GetComputeProcesses(_nvml.GetDeviceByIndex(0));

        Assert.Contains(new NvmlProcessEntry(777, FakeNvml.GiB, 7, 0), processes!);
        Assert.Contains(new NvmlProcessEntry(888, FakeNvml.GiB, 2, 1), processes!);
    }

    [Fact]
    public void RegisterXidEvents_Unknown_ThrowsUnknownAndSetFailsUntilFreed()
    {
        FakeNvml.SetError(0, FakeField.Register, (int)NvmlReturn.Unknown);
        var set = _nvml.CreateEventSet();

        var ex = Assert.Throws<NvmlException>(() => _nvml.RegisterXidEvents(set, _nvml.GetDeviceByIndex(0)));
        var wait = Assert.Throws<NvmlException>(() => _nvml.WaitForEvent(set, 10));
        _nvml.FreeEventSet(set);
        var fresh = _nvml.CreateEventSet();
        var afterRecreate = _nvml.WaitForEvent(fresh, 10);
        _nvml.FreeEventSet(fresh);

        Assert.Equal(NvmlReturn.Unknown, ex.Code);
        Assert.Equal(NvmlReturn.Unknown, wait.Code);
        Assert.Null(afterRecreate);
    }

    [Fact]
    public void GetMigDevices_TwoInstances_ReturnsGpuAndComputeInstanceIds()
    {
        var first = FakeNvml.AddMig(0, "MIG-aaaa", "NVIDIA H100 80GB HBM3 MIG 1g.10gb", 7, 0, 10 * FakeNvml.GiB, FakeNvml.GiB);
        FakeNvml.AddMig(0, "MIG-bbbb", "NVIDIA H100 80GB HBM3 MIG 3g.40gb", 2, 0, 40 * FakeNvml.GiB, 0);
        FakeNvml.AddProcess(first, 777, FakeNvml.GiB);
        var gpu = _nvml.GetDeviceByIndex(0);

        var migs = _nvml.GetMigDevices(gpu);

        Assert.True(_nvml.GetMigEnabled(gpu));
        Assert.Null(_nvml.GetUtilization(gpu));
        Assert.Equal([(7u, 0u), (2u, 0u)], migs.Select(m => (m.GpuInstanceId, m.ComputeInstanceId)));
        Assert.Equal("MIG-aaaa", _nvml.GetUuid(migs[0].Device));
        Assert.Equal([new NvmlProcessEntry(777, FakeNvml.GiB, 7, 0)], _nvml.GetComputeProcesses(migs[0].Device)!);
    }

    [Fact]
    public void WaitForEvent_XidPushed_ReturnsXidOnRegisteredDevice()
    {
        var set = _nvml.CreateEventSet();
        var gpu = _nvml.GetDeviceByIndex(1);
        Assert.True(_nvml.RegisterXidEvents(set, gpu));
        Assert.Equal(1, FakeNvml.PushXid(1, 79));

        var ev = _nvml.WaitForEvent(set, 1000);
        _nvml.FreeEventSet(set);

        Assert.NotNull(ev);
        Assert.Equal(gpu, ev.Device);
        Assert.Equal(79ul, ev.Data);
        Assert.Equal(0x8ul, ev.EventType);
        Assert.Null(ev.GpuInstanceId);
    }

    [Fact]
    public void WaitForEvent_NoEvent_ReturnsNullOnTimeout()
    {
        var set = _nvml.CreateEventSet();

        var ev = _nvml.WaitForEvent(set, 10);
        _nvml.FreeEventSet(set);

        Assert.Null(ev);
    }
}
