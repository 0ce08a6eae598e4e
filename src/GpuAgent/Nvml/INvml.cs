namespace AiSidecar.GpuAgent.Nvml;

/// <summary>The NVML calls the agent makes; errors surface as <see cref="NvmlException"/>.</summary>
/// <remarks>Optional readings return null for NOT_SUPPORTED so that callers report them as absent, never as zero.</remarks>
internal interface INvml
{
    /// <summary>Optional entry points found in the loaded library; null until initialized.</summary>
    NvmlExports? Exports { get; }

    /// <summary>Loads the library and calls <c>nvmlInit_v2</c>; returns the result instead of throwing.</summary>
    NvmlReturn Initialize();

    /// <summary>Calls <c>nvmlShutdown</c> once per successful <see cref="Initialize"/>.</summary>
    void Shutdown();

    uint GetDeviceCount();

    /// <summary>The GPU's handle; NO_PERMISSION or GPU_IS_LOST concern that GPU only.</summary>
    NvmlDevice GetDeviceByIndex(uint index);

    string GetName(NvmlDevice device);

    string GetUuid(NvmlDevice device);

    string GetPciBusId(NvmlDevice device);

    NvmlMemoryInfo? GetMemory(NvmlDevice device);

    NvmlUtilizationInfo? GetUtilization(NvmlDevice device);

    int? GetTemperatureCelsius(NvmlDevice device);

    uint? GetPowerMilliwatts(NvmlDevice device);

    /// <summary>The current clock event (throttle) reasons bit mask, or null where unreadable.</summary>
    ulong? GetClockEventReasons(NvmlDevice device);

    /// <summary>
    /// Compute processes, or null when the device does not report them. On a MIG-enabled GPU handle NVML returns the
    /// aggregate of all its MIG instances (each entry with its GI/CI); on a MIG device handle only that instance.
    /// </summary>
    IReadOnlyList<NvmlProcessEntry>? GetComputeProcesses(NvmlDevice device);

    /// <summary>Current MIG mode, or null before Ampere (NOT_SUPPORTED).</summary>
    bool? GetMigEnabled(NvmlDevice device);

    IReadOnlyList<NvmlMigHandle> GetMigDevices(NvmlDevice device);

    /// <summary>Creates an event set; returns 0 when the library has no event API.</summary>
    nint CreateEventSet();

    /// <summary>Registers XID events for a device; false when the device does not support them.</summary>
    /// <remarks>Throws <see cref="NvmlException"/> with UNKNOWN when the set was left undefined: free it, never wait on it.</remarks>
    bool RegisterXidEvents(nint eventSet, NvmlDevice device);

    /// <summary>Waits for one event; null on timeout.</summary>
    NvmlEvent? WaitForEvent(nint eventSet, uint timeoutMs);

    void FreeEventSet(nint eventSet);
}
