using AiSidecar.GpuAgent.Metrics;
using AiSidecar.GpuAgent.Nvml;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Waits for XID events on a dedicated thread and records them in the <see cref="XidTracker"/>.</summary>
/// <remarks>Events are attributed to the parent GPU's UUID (MIG events carry the parent handle plus GI/CI ids).</remarks>
internal sealed class XidWatcher(
    INvml nvml,
    XidTracker tracker,
    AgentMetrics metrics,
    IOptions<XidOptions> options,
    ILogger<XidWatcher> logger)
{
    /// <summary>Wait slice; short so that <see cref="Stop"/> returns promptly.</summary>
    private const uint WaitMilliseconds = 500;

    private readonly Lock _gate = new();
    private Thread? _thread;
    private nint _eventSet;
    private volatile bool _stopping;

    public void Start(IReadOnlyList<InventoryDevice> devices)
    {
        lock (_gate)
        {
            if (!options.Value.Enabled || _thread is not null)
            {
                return;
            }

            try
            {
                _eventSet = nvml.CreateEventSet();
            }
            catch (NvmlException ex)
            {
                SamplingLog.XidWatcherFailed(logger, ex);
                return;
            }

            if (_eventSet == 0)
            {
                return;
            }

            var byHandle = Register(devices);
            _thread = new Thread(() => Run(byHandle, devices)) { IsBackground = true, Name = "nvml-xid-events" };
            _thread.Start();
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            if (_thread is not null && _thread.Join(TimeSpan.FromSeconds(5)))
            {
                nvml.FreeEventSet(_eventSet); // Only once no thread is waiting on it.
            }

            _thread = null;
            _eventSet = 0;
        }
    }

    private Dictionary<nint, string> Register(IReadOnlyList<InventoryDevice> devices)
    {
        var byHandle = new Dictionary<nint, string>();
        foreach (var device in devices)
        {
            var uuid = device.Identity?.Uuid ?? string.Empty;
            try
            {
                if (nvml.RegisterXidEvents(_eventSet, device.Device))
                {
                    byHandle[device.Device.Handle] = uuid;
                }
                else
                {
                    SamplingLog.XidNotSupported(logger, uuid);
                }
            }
            catch (NvmlException ex)
            {
                SamplingLog.XidWatcherFailed(logger, ex);
            }
        }

        return byHandle;
    }

    private void Run(Dictionary<nint, string> byHandle, IReadOnlyList<InventoryDevice> devices)
    {
        while (!_stopping)
        {
            try
            {
                if (nvml.WaitForEvent(_eventSet, WaitMilliseconds) is { } ev)
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

    private void Handle(NvmlEvent ev, Dictionary<nint, string> byHandle, IReadOnlyList<InventoryDevice> devices)
    {
        if ((ev.EventType & Nvml.Interop.NvmlNative.EventTypeXidCriticalError) == 0)
        {
            return;
        }

        if (byHandle.TryGetValue(ev.Device.Handle, out var uuid))
        {
            SamplingLog.XidEvent(logger, ev.Data, uuid, tracker.Record(uuid, ev.Data));
            metrics.RecordXid();
            return;
        }

        // The device plugin's policy: an XID that cannot be attributed marks every GPU.
        SamplingLog.XidUnknownDevice(logger, ev.Data);
        foreach (var device in devices)
        {
            if (device.Identity is { } identity)
            {
                tracker.Record(identity.Uuid, ev.Data);
            }
        }

        metrics.RecordXid();
    }
}
