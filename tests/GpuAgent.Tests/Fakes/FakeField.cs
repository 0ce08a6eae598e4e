namespace AiSidecar.GpuAgent.Tests.Fakes;

/// <summary>The fake library's scriptable call groups (enum fake_field in native/fake_nvml.h).</summary>
internal enum FakeField
{
    Name,
    Uuid,
    Pci,
    Memory,
    MemoryV2,
    Utilization,
    Temperature,
    Power,
    Processes,
    MigMode,
    Clocks,
    Events,

    /// <summary><c>nvmlDeviceGetHandleByIndex_v2</c> for the GPU's index.</summary>
    Handle,

    /// <summary><c>nvmlDeviceRegisterEvents</c>; UNKNOWN leaves the fake's event set undefined (every wait fails).</summary>
    Register,

    /// <summary>Only the deprecated <c>nvmlDeviceGetCurrentClocksThrottleReasons</c> symbol.</summary>
    ClocksLegacy,

    /// <summary>Only the fill call (non-NULL buffer) of <c>nvmlDeviceGetComputeRunningProcesses_v3</c>.</summary>
    ProcessesFill,
}
