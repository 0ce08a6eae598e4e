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
        "nvmlDeviceGetUtilizationRates", "nvmlDeviceGetPowerUsage",
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

            if (!RequiredExports.All(name => NativeLibrary.TryGetExport(handle, name, out _)))
            {
                // Not NVML, or too old for the versioned entry points: never bind the imports to it.
                NativeLibrary.Free(handle);
                failure = NvmlReturn.FunctionNotFound;
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

            failure = NvmlReturn.Success;
            return new NvmlExports(
                HasExport("nvmlDeviceGetMemoryInfo_v2"),
                HasExport("nvmlDeviceGetTemperatureV"),
                HasExport("nvmlDeviceGetTemperature"),
                HasExport("nvmlDeviceGetCurrentClocksEventReasons"),
                HasExport("nvmlDeviceGetCurrentClocksThrottleReasons"),
                HasExport("nvmlDeviceGetMigMode") && HasExport("nvmlDeviceGetMigDeviceHandleByIndex"),
                HasExport("nvmlEventSetCreate") && HasExport("nvmlEventSetWait_v2"));
        }
    }

    private static bool HasExport(string name) => NativeLibrary.TryGetExport(_handle, name, out _);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NvmlNative.LibraryName ? _handle : 0;
}
