namespace AiSidecar.GpuAgent.Nvml;

/// <summary>Which optional NVML entry points the loaded library exports.</summary>
/// <param name="MemoryV2"><c>nvmlDeviceGetMemoryInfo_v2</c> (R510+); otherwise the v1 struct is used.</param>
/// <param name="TemperatureV"><c>nvmlDeviceGetTemperatureV</c>; otherwise the deprecated <c>nvmlDeviceGetTemperature</c>.</param>
/// <param name="TemperatureLegacy"><c>nvmlDeviceGetTemperature</c>, deprecated in 13.0 and so not required.</param>
/// <param name="ClockEventReasons"><c>nvmlDeviceGetCurrentClocksEventReasons</c> (12.2+ header), for thermal slowdown.</param>
/// <param name="ClockThrottleReasons"><c>nvmlDeviceGetCurrentClocksThrottleReasons</c>, deprecated in 13.0; the fallback.</param>
/// <param name="Mig">The MIG queries.</param>
/// <param name="Events">The event-set API, for XID events.</param>
internal sealed record NvmlExports(
    bool MemoryV2,
    bool TemperatureV,
    bool TemperatureLegacy,
    bool ClockEventReasons,
    bool ClockThrottleReasons,
    bool Mig,
    bool Events);
