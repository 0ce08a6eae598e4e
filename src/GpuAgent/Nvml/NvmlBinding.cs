using System.Runtime.InteropServices;
using System.Text;
using AiSidecar.GpuAgent.Nvml.Interop;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Nvml;

/// <summary><see cref="INvml"/> over the source-generated <see cref="NvmlNative"/> imports.</summary>
internal sealed partial class NvmlBinding : INvml
{
    /// <summary><c>NVML_DEVICE_NAME_V2_BUFFER_SIZE</c> and <c>NVML_DEVICE_UUID_V2_BUFFER_SIZE</c>.</summary>
    private const int StringBufferSize = 96;

    private readonly Lock _gate = new();
    private readonly string _libraryPath;
    private bool _initialized;

    public NvmlBinding(IOptions<NvmlOptions> options)
    {
        _libraryPath = options.Value.LibraryPath;
    }

    public NvmlExports? Exports { get; private set; }

    public NvmlReturn Initialize()
    {
        lock (_gate)
        {
            if (_initialized)
            {
                return NvmlReturn.Success;
            }

            var exports = NvmlLibraryLoader.TryLoad(_libraryPath, out var failure);
            if (exports is null)
            {
                return failure;
            }

            var result = NvmlNative.InitV2();
            if (result == NvmlReturn.Success)
            {
                Exports = exports;
                _initialized = true;
            }

            return result;
        }
    }

    public void Shutdown()
    {
        lock (_gate)
        {
            if (_initialized)
            {
                _initialized = false;
                _ = NvmlNative.Shutdown();
            }
        }
    }

    /// <summary>The library's own text for a code (a static string it owns).</summary>
    public static string? ErrorString(NvmlReturn code) => Marshal.PtrToStringUTF8(NvmlNative.ErrorString(code));

    public uint GetDeviceCount()
    {
        NvmlNative.DeviceGetCountV2(out var count).ThrowIfFailed("nvmlDeviceGetCount_v2");
        return count;
    }

    public NvmlDevice GetDeviceByIndex(uint index)
    {
        NvmlNative.DeviceGetHandleByIndexV2(index, out var handle).ThrowIfFailed("nvmlDeviceGetHandleByIndex_v2");
        return new NvmlDevice(handle);
    }

    public unsafe string GetName(NvmlDevice device)
    {
        var buffer = stackalloc byte[StringBufferSize];
        NvmlNative.DeviceGetName(device.Handle, buffer, StringBufferSize).ThrowIfFailed("nvmlDeviceGetName");
        return ReadString(buffer, StringBufferSize);
    }

    public unsafe string GetUuid(NvmlDevice device)
    {
        var buffer = stackalloc byte[StringBufferSize];
        NvmlNative.DeviceGetUuid(device.Handle, buffer, StringBufferSize).ThrowIfFailed("nvmlDeviceGetUUID");
        return ReadString(buffer, StringBufferSize);
    }

    public unsafe string GetPciBusId(NvmlDevice device)
    {
        NvmlPciInfo pci;
        NvmlNative.DeviceGetPciInfoV3(device.Handle, &pci).ThrowIfFailed("nvmlDeviceGetPciInfo_v3");
        return ReadString(pci.BusId, 32);
    }

    private static unsafe string ReadString(byte* buffer, int capacity)
    {
        var span = new ReadOnlySpan<byte>(buffer, capacity);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}
