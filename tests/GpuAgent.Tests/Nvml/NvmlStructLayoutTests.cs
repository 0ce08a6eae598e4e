using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AiSidecar.GpuAgent.Nvml.Interop;
using AiSidecar.GpuAgent.Tests.Fakes;

namespace AiSidecar.GpuAgent.Tests.Nvml;

/// <summary>
/// Layout proof for the blittable structs. The authoritative checks compare the managed structs with the sizes,
/// offsets and version constants of NVIDIA's nvml.h (gcc on x86-64, docs/gpu-agent.md): <c>*_MatchesNvmlHeader</c>.
/// The fake library's own struct sizes come from the same transcription, so comparing with them only proves the fake
/// and the binding agree with each other, never that either matches NVIDIA's header.
/// </summary>
public sealed class NvmlStructLayoutTests
{
    public static TheoryData<string, int, int> Sizes => new()
    {
        // C type, sizeof from NVIDIA's header (x86-64), managed size.
        { "nvmlMemory_t", 24, Unsafe.SizeOf<NvmlMemoryV1>() },
        { "nvmlMemory_v2_t", 40, Unsafe.SizeOf<NvmlMemoryV2>() },
        { "nvmlUtilization_t", 8, Unsafe.SizeOf<NvmlUtilization>() },
        { "nvmlTemperature_t", 12, Unsafe.SizeOf<NvmlTemperatureV>() },
        { "nvmlProcessInfo_t", 24, Unsafe.SizeOf<NvmlProcessInfo>() },
        { "nvmlPciInfo_t", 68, Unsafe.SizeOf<NvmlPciInfo>() },
        { "nvmlEventData_t", 32, Unsafe.SizeOf<NvmlEventData>() },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SizeOf_ManagedStruct_MatchesNvmlHeader(string cType, int headerSize, int managedSize)
    {
        Assert.True(headerSize == managedSize, $"{cType}: header {headerSize}, managed {managedSize}");
    }

    /// <summary>Consistency only (fake vs binding); the header tests above and the offset tests are the authoritative proof.</summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void SizeOf_ManagedStruct_MatchesFakeLibraryCompilerConsistencyOnly(string cType, int headerSize, int managedSize)
    {
        Assert.Equal(headerSize, FakeNvml.SizeOf(cType));
        Assert.Equal(managedSize, FakeNvml.SizeOf(cType));
    }

    [Fact]
    public void OffsetOf_MemoryV2_MatchesNvmlHeader()
    {
        Assert.Equal(8, Offset<NvmlMemoryV2>(nameof(NvmlMemoryV2.Total)));
        Assert.Equal(16, Offset<NvmlMemoryV2>(nameof(NvmlMemoryV2.Reserved)));
        Assert.Equal(24, Offset<NvmlMemoryV2>(nameof(NvmlMemoryV2.Free)));
        Assert.Equal(32, Offset<NvmlMemoryV2>(nameof(NvmlMemoryV2.Used)));
    }

    [Fact]
    public void OffsetOf_ProcessInfo_MatchesNvmlHeader()
    {
        Assert.Equal(8, Offset<NvmlProcessInfo>(nameof(NvmlProcessInfo.UsedGpuMemory)));
        Assert.Equal(16, Offset<NvmlProcessInfo>(nameof(NvmlProcessInfo.GpuInstanceId)));
        Assert.Equal(20, Offset<NvmlProcessInfo>(nameof(NvmlProcessInfo.ComputeInstanceId)));
    }

    [Fact]
    public void OffsetOf_PciInfoAndEventData_MatchNvmlHeader()
    {
        Assert.Equal(16, Offset<NvmlPciInfo>(nameof(NvmlPciInfo.Domain)));
        Assert.Equal(36, Offset<NvmlPciInfo>(nameof(NvmlPciInfo.BusId)));
        Assert.Equal(8, Offset<NvmlEventData>(nameof(NvmlEventData.EventType)));
        Assert.Equal(16, Offset<NvmlEventData>(nameof(NvmlEventData.EventData)));
        Assert.Equal(24, Offset<NvmlEventData>(nameof(NvmlEventData.GpuInstanceId)));
    }

    [Fact]
    public void OffsetOf_MemoryV1AndTemperatureAndRest_MatchNvmlHeader()
    {
        Assert.Equal(8, Offset<NvmlMemoryV1>(nameof(NvmlMemoryV1.Free)));
        Assert.Equal(16, Offset<NvmlMemoryV1>(nameof(NvmlMemoryV1.Used)));
        Assert.Equal(4, Offset<NvmlTemperatureV>(nameof(NvmlTemperatureV.SensorType)));
        Assert.Equal(8, Offset<NvmlTemperatureV>(nameof(NvmlTemperatureV.Temperature)));
        Assert.Equal(4, Offset<NvmlUtilization>(nameof(NvmlUtilization.Memory)));
        Assert.Equal(20, Offset<NvmlPciInfo>(nameof(NvmlPciInfo.Bus)));
        Assert.Equal(32, Offset<NvmlPciInfo>(nameof(NvmlPciInfo.PciSubSystemId)));
        Assert.Equal(28, Offset<NvmlEventData>(nameof(NvmlEventData.ComputeInstanceId)));
    }

    [Fact]
    public void StructVersion_MemoryV2AndTemperature_EncodeSizeAndVersion()
    {
        Assert.Equal(NvmlMemoryV2.StructVersion, (uint)Unsafe.SizeOf<NvmlMemoryV2>() | (2u << 24));
        Assert.Equal(0x02000028u, NvmlMemoryV2.StructVersion);
        Assert.Equal(NvmlTemperatureV.StructVersion, (uint)Unsafe.SizeOf<NvmlTemperatureV>() | (1u << 24));
    }

    private static int Offset<T>(string field) => (int)Marshal.OffsetOf<T>(field);
}
