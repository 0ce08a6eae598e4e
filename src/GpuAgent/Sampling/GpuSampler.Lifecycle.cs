using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Nvml;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>NVML initialization with retry, and per-device outcome handling.</summary>
internal sealed partial class GpuSampler
{
    private IReadOnlyList<InventoryDevice>? _inventory;
    private Task<IReadOnlyList<InventoryDevice>>? _initTask;
    private DateTimeOffset _nextInitAttempt;
    private string _nvmlError = "NVML_NOT_INITIALIZED";
    private string? _loggedError;

    /// <summary>The GPUs enumerated once NVML came up (null before); each holds its last read.</summary>
    internal IReadOnlyList<InventoryDevice>? Inventory => _inventory;

    private async Task<bool> EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_inventory is not null)
        {
            return true;
        }

        if (_initTask is null)
        {
            if (time.GetUtcNow() < _nextInitAttempt)
            {
                return false;
            }

            _initTask = Task.Run(InitializeAndEnumerate, CancellationToken.None);
        }

        var timeout = nvmlOptions.Value.CallTimeout;
        await ((Task)_initTask).WaitAsync(timeout, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_initTask.IsCompleted)
        {
            ReportDown("NVML_INIT_TIMEOUT");
            return false;
        }

        var task = _initTask;
        _initTask = null;
        if (!task.IsCompletedSuccessfully)
        {
            _nextInitAttempt = time.GetUtcNow() + nvmlOptions.Value.InitRetryInterval;
            ReportDown(task.Exception?.InnerException is NvmlException nvmlError ? nvmlError.ErrorName : "NVML_ERROR_UNKNOWN");
            return false;
        }

        var inventory = await task.ConfigureAwait(false);
        _inventory = inventory;
        _nvmlError = string.Empty;
        _loggedError = null;
        SamplingLog.NvmlReady(logger, inventory.Count);

        // Registration runs on the XID thread; wait for it (so the first snapshot follows it) but never past the timeout.
        var xidReady = xidWatcher.Start(inventory);
        await xidReady.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        if (!xidReady.IsCompleted)
        {
            SamplingLog.XidSetupSlow(logger, timeout);
        }

        return true;
    }

    private IReadOnlyList<InventoryDevice> InitializeAndEnumerate()
    {
        nvml.Initialize().ThrowIfFailed("nvmlInit_v2");
        try
        {
            return DeviceEnumerator.Enumerate(nvml);
        }
        catch
        {
            nvml.Shutdown();
            throw;
        }
    }

    private void ReportDown(string error)
    {
        _nvmlError = error;
        if (_loggedError != error)
        {
            _loggedError = error;
            SamplingLog.NvmlUnavailable(logger, error, nvmlOptions.Value.LibraryPath, nvmlOptions.Value.InitRetryInterval);
        }
    }

    private GpuDevice Collect(InventoryDevice device)
    {
        var task = device.InFlight;
        var uuid = device.Identity?.Uuid ?? string.Empty;
        if (task is { IsCompletedSuccessfully: true })
        {
            if (device.Condition != DeviceCondition.Readable)
            {
                SamplingLog.DeviceRecovered(logger, device.Index, uuid);
            }

            device.Condition = DeviceCondition.Readable;
            return task.GetAwaiter().GetResult();
        }

        var (condition, reason) = task switch
        {
            null or { IsCompleted: false } => (DeviceCondition.Hung, DeviceSnapshots.TimeoutReason),
            { Exception.InnerException: NvmlException { Code: NvmlReturn.GpuIsLost } } => (DeviceCondition.Lost, DeviceSnapshots.LostReason),
            _ => (DeviceCondition.Failing, DeviceSnapshots.ErrorReason),
        };
        if (condition == DeviceCondition.Hung)
        {
            metrics.RecordDeviceTimeout();
        }

        if (device.Condition != condition)
        {
            device.Condition = condition;
            LogCondition(device, condition, task?.Exception?.InnerException);
        }

        return DeviceSnapshots.Unhealthy(device, reason);
    }

    private void LogCondition(InventoryDevice device, DeviceCondition condition, Exception? error)
    {
        var uuid = device.Identity?.Uuid ?? string.Empty;
        switch (condition)
        {
            case DeviceCondition.Lost:
                SamplingLog.DeviceLost(logger, device.Index, uuid);
                break;
            case DeviceCondition.Hung:
                SamplingLog.DeviceHung(logger, device.Index, uuid, nvmlOptions.Value.CallTimeout);
                break;
            default:
                SamplingLog.DeviceReadFailed(logger, error ?? new InvalidOperationException("unknown"), device.Index, uuid);
                break;
        }
    }
}
