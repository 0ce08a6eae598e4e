using AiSidecar.GpuAgent.Metrics;
using AiSidecar.GpuAgent.Nvml;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Registers XID events and waits for them on a dedicated thread, recording them in the <see cref="XidTracker"/>.</summary>
/// <remarks>
/// Setup (event set, supported types, per-GPU registration) runs on the watcher thread too, so a hung NVML call there
/// never holds the sampler; the sampler waits for it at most <see cref="NvmlOptions.CallTimeout"/>. The thread alone
/// waits on and frees its event set. Events are attributed by GPU index (from the event's handle) and MIG GI/CI.
/// </remarks>
internal sealed partial class XidWatcher(
    INvml nvml,
    XidTracker tracker,
    AgentMetrics metrics,
    TimeProvider time,
    IOptions<XidOptions> options,
    IOptions<NvmlOptions> nvmlOptions,
    ILogger<XidWatcher> logger)
{
    /// <summary>Wait slice; short so that <see cref="StopAsync"/> returns promptly.</summary>
    private const uint WaitMilliseconds = 500;

    private readonly Lock _gate = new();
    private Thread? _thread;
    private TaskCompletionSource? _exited;
    private volatile bool _stopping;

    /// <summary>Completes once the watcher thread has left NVML for good (at once when none was started).</summary>
    public Task Exited => _exited?.Task ?? Task.CompletedTask;

    /// <summary>The longest <see cref="StopAsync"/> waits for the thread: one wait slice plus the NVML call timeout.</summary>
    public TimeSpan StopTimeout => TimeSpan.FromMilliseconds(WaitMilliseconds) + nvmlOptions.Value.CallTimeout;

    /// <summary>Starts the watcher thread; the result completes when XID registration has finished (or failed).</summary>
    public Task Start(IReadOnlyList<InventoryDevice> devices)
    {
        lock (_gate)
        {
            if (!options.Value.Enabled || _thread is not null || _stopping)
            {
                return Task.CompletedTask;
            }

            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var exited = _exited;
            _thread = new Thread(() => Run(devices, ready, exited)) { IsBackground = true, Name = "nvml-xid-events" };
            _thread.Start();
            return ready.Task;
        }
    }

    /// <summary>
    /// Asks the thread to stop and waits at most <see cref="StopTimeout"/>. False when it is still inside NVML (for example
    /// blocked in <c>nvmlEventSetWait_v2</c>): NVML must not be shut down under it until <see cref="Exited"/> completes.
    /// </summary>
    public async Task<bool> StopAsync()
    {
        Task exited;
        lock (_gate)
        {
            _stopping = true;
            exited = Exited;
        }

        await exited.WaitAsync(StopTimeout, time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return exited.IsCompleted;
    }

    private void Run(IReadOnlyList<InventoryDevice> devices, TaskCompletionSource ready, TaskCompletionSource exited)
    {
        nint eventSet = 0;
        try
        {
            (eventSet, var byHandle) = Setup(devices);
            ready.TrySetResult();
            if (eventSet != 0)
            {
                Watch(eventSet, byHandle, devices);
            }
        }
        catch (NvmlException ex)
        {
            SamplingLog.XidWatcherFailed(logger, ex);
        }
        finally
        {
            ready.TrySetResult();
            nvml.FreeEventSet(eventSet); // This thread is the only one that waited on it, and it no longer does.
            exited.TrySetResult();
        }
    }

    private void Watch(nint eventSet, Dictionary<nint, uint> byHandle, IReadOnlyList<InventoryDevice> devices)
    {
        while (!_stopping)
        {
            try
            {
                if (nvml.WaitForEvent(eventSet, WaitMilliseconds) is { } ev)
                {
                    Handle(ev, byHandle, devices);
                }
            }
            catch (NvmlException ex)
            {
                SamplingLog.XidWatcherFailed(logger, ex);
                if (ex.Code == NvmlReturn.Uninitialized)
                {
                    return;
                }

                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }
    }

    private void Handle(NvmlEvent ev, Dictionary<nint, uint> byHandle, IReadOnlyList<InventoryDevice> devices)
    {
        if ((ev.EventType & Nvml.Interop.NvmlNative.EventTypeXidCriticalError) == 0)
        {
            return;
        }

        metrics.RecordXid();
        if (byHandle.TryGetValue(ev.Device.Handle, out var index))
        {
            var key = new XidKey(index, ev.GpuInstanceId, ev.ComputeInstanceId);
            SamplingLog.XidEvent(logger, ev.Data, index, ev.GpuInstanceId, ev.ComputeInstanceId, tracker.Record(key, ev.Data));
            return;
        }

        // The device plugin's policy: an XID that cannot be attributed marks every GPU.
        SamplingLog.XidUnknownDevice(logger, ev.Data);
        foreach (var device in devices)
        {
            tracker.Record(new XidKey(device.Index, null, null), ev.Data);
        }
    }
}
