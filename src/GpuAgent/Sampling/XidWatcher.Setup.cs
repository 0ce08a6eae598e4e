using AiSidecar.GpuAgent.Nvml;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Event-set creation and per-GPU XID registration.</summary>
internal sealed partial class XidWatcher
{
    /// <summary>
    /// Creates the event set and registers every GPU that has a handle. NVML_ERROR_UNKNOWN from a registration leaves
    /// the set in an undefined state (nvml.h): the set is freed and recreated without that GPU, so each GPU costs at
    /// most one recreation. Returns 0 when there is nothing to wait on (no event API or no GPU registered).
    /// </summary>
    private (nint EventSet, Dictionary<nint, uint> ByHandle) Setup(IReadOnlyList<InventoryDevice> devices)
    {
        var excluded = new HashSet<uint>();
        while (!_stopping)
        {
            var eventSet = nvml.CreateEventSet();
            if (eventSet == 0)
            {
                return (0, []);
            }

            var byHandle = new Dictionary<nint, uint>();
            if (RegisterAll(eventSet, devices, excluded, byHandle) is { } broken)
            {
                nvml.FreeEventSet(eventSet);
                excluded.Add(broken);
                SamplingLog.XidEventSetReset(logger, broken);
                continue;
            }

            if (_stopping)
            {
                return (eventSet, byHandle); // Run frees it.
            }

            if (byHandle.Count == 0)
            {
                nvml.FreeEventSet(eventSet);
                SamplingLog.XidDisabled(logger);
                return (0, []);
            }

            return (eventSet, byHandle);
        }

        return (0, []);
    }

    /// <summary>Registers each GPU; returns the index of a GPU whose registration left the set undefined (UNKNOWN).</summary>
    private uint? RegisterAll(nint eventSet, IReadOnlyList<InventoryDevice> devices, HashSet<uint> excluded, Dictionary<nint, uint> byHandle)
    {
        foreach (var device in devices)
        {
            if (_stopping)
            {
                return null;
            }

            if (excluded.Contains(device.Index) || device.Device is not { } handle)
            {
                continue;
            }

            try
            {
                if (nvml.RegisterXidEvents(eventSet, handle))
                {
                    byHandle[handle.Handle] = device.Index;
                }
                else
                {
                    SamplingLog.XidNotSupported(logger, device.Index);
                }
            }
            catch (NvmlException ex) when (ex.Code == NvmlReturn.Unknown)
            {
                return device.Index;
            }
            catch (NvmlException ex)
            {
                SamplingLog.XidRegisterFailed(logger, ex, device.Index);
            }
        }

        return null;
    }
}
