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
}
