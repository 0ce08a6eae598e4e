using System.Reflection;
using System.Runtime.InteropServices;
using AiSidecar.GpuAgent.Nvml.Interop;

namespace AiSidecar.GpuAgent.Nvml;

/// <summary>Loads NVML from a configurable path and binds <see cref="NvmlNative"/> to it.</summary>
/// <remarks>
/// The binding is process-wide: the first library that loads serves every later import. A later load of a path that
/// does not exist still fails, so a missing library is always reported as <c>NVML_ERROR_LIBRARY_NOT_FOUND</c>.
/// </remarks>
internal static class NvmlLibraryLoader
{
    /// <summary>Symbols the agent cannot work without.</summary>
    internal static readonly string[] RequiredExports =
    [
        "nvmlInit_v2", "nvmlShutdown", "nvmlErrorString", "nvmlDeviceGetCount_v2", "nvmlDeviceGetHandleByIndex_v2",
        "nvmlDeviceGetName", "nvmlDeviceGetUUID", "nvmlDeviceGetPciInfo_v3", "nvmlDeviceGetMemoryInfo",
        "nvmlDeviceGetUtilizationRates", "nvmlDeviceGetTemperature", "nvmlDeviceGetPowerUsage",
        "nvmlDeviceGetComputeRunningProcesses_v3",
    ];

    private static readonly Lock Gate = new();
    private static nint _handle;
    private static bool _resolverSet;

    /// <summary>Loads the library at <paramref name="path"/>; returns the loaded exports or null with a reason.</summary>
    public static NvmlExports? TryLoad(string path, out NvmlReturn failure)
    {
        lock (Gate)
        {
            if (!NativeLibrary.TryLoad(path, out var handle))
            {
                failure = NvmlReturn.LibraryNotFound;
                return null;
            }

            if (_handle == 0)
            {
                _handle = handle;
            }
            else if (handle != _handle)
            {
                // Keep the first binding: imports already bound to it cannot be rebound.
                NativeLibrary.Free(handle);
            }

            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(NvmlNative).Assembly, Resolve);
                _resolverSet = true;
            }

            foreach (var name in RequiredExports)
            {
                if (!NativeLibrary.TryGetExport(_handle, name, out _))
                {
                    failure = NvmlReturn.FunctionNotFound;
                    return null;
                }
            }

            failure = NvmlReturn.Success;
            return new NvmlExports(
                HasExport("nvmlDeviceGetMemoryInfo_v2"),
                HasExport("nvmlDeviceGetTemperatureV"),
                HasExport("nvmlDeviceGetCurrentClocksThrottleReasons"),
                HasExport("nvmlDeviceGetMigMode") && HasExport("nvmlDeviceGetMigDeviceHandleByIndex"),
                HasExport("nvmlEventSetCreate") && HasExport("nvmlEventSetWait_v2"));
        }
    }

    private static bool HasExport(string name) => NativeLibrary.TryGetExport(_handle, name, out _);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NvmlNative.LibraryName ? _handle : 0;
}
