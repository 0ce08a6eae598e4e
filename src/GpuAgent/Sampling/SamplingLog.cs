namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Log messages of the sampling area.</summary>
internal static partial class SamplingLog
{
    [LoggerMessage(1, LogLevel.Warning, "NVML is unavailable ({Error}, library {LibraryPath}); serving empty snapshots and retrying every {RetryInterval}", EventName = "NvmlUnavailable")]
    public static partial void NvmlUnavailable(ILogger logger, string error, string libraryPath, TimeSpan retryInterval);

    [LoggerMessage(2, LogLevel.Information, "NVML initialized with {DeviceCount} GPUs", EventName = "NvmlReady")]
    public static partial void NvmlReady(ILogger logger, int deviceCount);

    [LoggerMessage(3, LogLevel.Warning, "NVML initialization exceeded {Timeout}; still waiting for it", EventName = "NvmlInitHung")]
    public static partial void NvmlInitHung(ILogger logger, TimeSpan timeout);

    [LoggerMessage(4, LogLevel.Error, "GPU {Index} ({Uuid}) is lost (NVML_ERROR_GPU_IS_LOST); reporting it unhealthy, other GPUs keep being sampled", EventName = "DeviceLost")]
    public static partial void DeviceLost(ILogger logger, uint index, string uuid);

    [LoggerMessage(5, LogLevel.Warning, "GPU {Index} ({Uuid}) readings exceeded {Timeout}; reporting it unhealthy until NVML returns", EventName = "DeviceHung")]
    public static partial void DeviceHung(ILogger logger, uint index, string uuid, TimeSpan timeout);

    [LoggerMessage(6, LogLevel.Warning, "GPU {Index} ({Uuid}) could not be read", EventName = "DeviceReadFailed")]
    public static partial void DeviceReadFailed(ILogger logger, Exception exception, uint index, string uuid);

    [LoggerMessage(7, LogLevel.Information, "GPU {Index} ({Uuid}) is readable again", EventName = "DeviceRecovered")]
    public static partial void DeviceRecovered(ILogger logger, uint index, string uuid);

    [LoggerMessage(8, LogLevel.Warning, "XID {Xid} on GPU {Index} (MIG GI {GpuInstanceId}, CI {ComputeInstanceId}; critical: {Critical})", EventName = "XidEvent")]
    public static partial void XidEvent(ILogger logger, ulong xid, uint index, uint? gpuInstanceId, uint? computeInstanceId, bool critical);

    [LoggerMessage(9, LogLevel.Warning, "XID {Xid} on an unknown device; marking every GPU", EventName = "XidUnknownDevice")]
    public static partial void XidUnknownDevice(ILogger logger, ulong xid);

    [LoggerMessage(10, LogLevel.Debug, "GPU {Index} does not support XID events", EventName = "XidNotSupported")]
    public static partial void XidNotSupported(ILogger logger, uint index);

    [LoggerMessage(11, LogLevel.Warning, "XID event watcher failed", EventName = "XidWatcherFailed")]
    public static partial void XidWatcherFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Error, "Sampling failed", EventName = "SamplingFailed")]
    public static partial void SamplingFailed(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "XID event registration exceeded {Timeout}; sampling goes on and XIDs are watched once registration completes", EventName = "XidSetupSlow")]
    public static partial void XidSetupSlow(ILogger logger, TimeSpan timeout);

    [LoggerMessage(14, LogLevel.Warning, "nvmlDeviceRegisterEvents returned NVML_ERROR_UNKNOWN for GPU {Index}; the event set is undefined, so it was freed and is recreated without that GPU (no XIDs from it)", EventName = "XidEventSetReset")]
    public static partial void XidEventSetReset(ILogger logger, uint index);

    [LoggerMessage(15, LogLevel.Warning, "XID watching is disabled: no GPU could be registered for XID events", EventName = "XidDisabled")]
    public static partial void XidDisabled(ILogger logger);

    [LoggerMessage(16, LogLevel.Warning, "Registering GPU {Index} for XID events failed; no XIDs from it", EventName = "XidRegisterFailed")]
    public static partial void XidRegisterFailed(ILogger logger, Exception exception, uint index);

    [LoggerMessage(17, LogLevel.Warning, "The XID thread is still inside NVML after {Timeout}; nvmlShutdown is deferred until it returns", EventName = "NvmlShutdownDeferred")]
    public static partial void NvmlShutdownDeferred(ILogger logger, TimeSpan timeout);
}
