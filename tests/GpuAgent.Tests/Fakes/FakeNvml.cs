using System.Reflection;
using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Tests.Fakes;

/// <summary>Control functions of the fake NVML library (native/fake_nvml_control.c), built next to the tests.</summary>
internal static partial class FakeNvml
{
    private const string Library = "fake_nvml";

    public const ulong GiB = 1UL << 30;

    /// <summary>The longest a scripted hang lasts when a test never releases it: a guard against a stuck test, never reached by a passing one.</summary>
    public const uint HangCap = 60_000;

    /// <summary>Memory the fake reserves on an 80 GiB GPU from <see cref="ResetWithGpus"/> (1 % of total, like the driver's reservation).</summary>
    public const ulong Reserved80 = 80 * GiB / 100;

    static FakeNvml()
    {
        NativeLibrary.SetDllImportResolver(typeof(FakeNvml).Assembly, Resolve);
    }

    /// <summary>Full path of the built fake library, passed to the agent as its NVML library path.</summary>
    public static string LibraryPath { get; } = Path.Combine(AppContext.BaseDirectory, "libfake_nvml.so");

    [LibraryImport(Library, EntryPoint = "fake_nvml_reset")]
    public static partial void Reset();

    /// <summary>Adds a GPU; <paramref name="used"/> is allocated memory (v2 <c>used</c>), 1 % of total is reserved.</summary>
    [LibraryImport(Library, EntryPoint = "fake_nvml_add_gpu", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddGpu(string uuid, string name, ulong total, ulong used, uint gpuUtil, uint memUtil, uint temperature, uint powerMilliwatts);

    [LibraryImport(Library, EntryPoint = "fake_nvml_add_mig", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddMig(int parent, string uuid, string name, uint gpuInstanceId, uint computeInstanceId, ulong total, ulong used);

    [LibraryImport(Library, EntryPoint = "fake_nvml_add_process")]
    public static partial void AddProcess(int device, uint pid, ulong usedMemory);

    [LibraryImport(Library, EntryPoint = "fake_nvml_grow_processes_once")]
    public static partial void GrowProcessesOnce(int device, uint extra);

    [LibraryImport(Library, EntryPoint = "fake_nvml_set_error")]
    public static partial void SetError(int device, FakeField field, int nvmlReturn);

    /// <summary>Makes the field's calls hang until <see cref="ReleaseHangs"/>, <paramref name="milliseconds"/> at most (0 turns it off).</summary>
    [LibraryImport(Library, EntryPoint = "fake_nvml_set_hang")]
    public static partial void SetHang(int device, FakeField field, uint milliseconds);

    [LibraryImport(Library, EntryPoint = "fake_nvml_set_lost")]
    public static partial void SetLost(int device, int lost);

    /// <summary>Sets allocated memory (v2 <c>used</c>); v1 <c>used</c> and free follow from total = reserved + used + free.</summary>
    [LibraryImport(Library, EntryPoint = "fake_nvml_set_memory_used")]
    public static partial void SetMemoryUsed(int device, ulong used);

    [LibraryImport(Library, EntryPoint = "fake_nvml_set_clock_reasons")]
    public static partial void SetClockReasons(int device, ulong reasons);

    [LibraryImport(Library, EntryPoint = "fake_nvml_set_init_result")]
    public static partial void SetInitResult(int nvmlReturn);

    /// <summary>Makes <c>nvmlInit_v2</c> hang until <see cref="ReleaseHangs"/>, <paramref name="milliseconds"/> at most (0 turns it off).</summary>
    [LibraryImport(Library, EntryPoint = "fake_nvml_set_init_hang")]
    public static partial void SetInitHang(uint milliseconds);

    [LibraryImport(Library, EntryPoint = "fake_nvml_push_xid")]
    public static partial int PushXid(int device, ulong xid);

    /// <summary>Makes every <c>nvmlEventSetWait_v2</c> hang whatever its timeout, until <see cref="ReleaseHangs"/> or <paramref name="milliseconds"/> at most (0 turns it off).</summary>
    [LibraryImport(Library, EntryPoint = "fake_nvml_set_event_wait_hang")]
    public static partial void SetEventWaitHang(uint milliseconds);

    /// <summary>Ends every hang in progress: the blocked calls go on as if NVML had answered late.</summary>
    [LibraryImport(Library, EntryPoint = "fake_nvml_release_hangs")]
    public static partial void ReleaseHangs();

    /// <summary>Threads inside a scripted hang now.</summary>
    public static int Hung() => WaitHung(0, 0);

    /// <summary>Waits until <paramref name="count"/> threads are inside a scripted hang (a guard of <see cref="HangCap"/>); returns how many are.</summary>
    public static Task<int> WaitForHungAsync(int count) => Task.Run(() => WaitHung(count, HangCap));

    /// <summary><c>nvmlShutdown</c> calls made while a thread was inside <c>nvmlEventSetWait_v2</c>.</summary>
    [LibraryImport(Library, EntryPoint = "fake_nvml_shutdowns_under_wait")]
    public static partial int ShutdownsUnderWait();

    /// <summary>Successful <c>nvmlInit_v2</c> calls not yet matched by <c>nvmlShutdown</c>.</summary>
    [LibraryImport(Library, EntryPoint = "fake_nvml_init_count")]
    public static partial int InitCount();

    /// <summary>NVML calls served so far (event waits excluded).</summary>
    [LibraryImport(Library, EntryPoint = "fake_nvml_call_count")]
    public static partial ulong CallCount();

    [LibraryImport(Library, EntryPoint = "fake_nvml_sizeof", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SizeOf(string type);

    /// <summary>Resets the fake and adds <paramref name="count"/> plain GPUs (ids 0..count-1) with one process each.</summary>
    public static void ResetWithGpus(int count)
    {
        Reset();
        for (var i = 0; i < count; i++)
        {
            var id = AddGpu(Uuid(i), "NVIDIA H100 80GB HBM3", 80 * GiB, (ulong)(i + 1) * GiB, 40 + (uint)i, 20, 50 + (uint)i, 300_000 + (uint)i * 1000);
            AddProcess(id, 4000 + (uint)i, GiB / 2);
        }
    }

    public static string Uuid(int i) => $"GPU-{i:D8}-1111-2222-3333-444444444444";

    [LibraryImport(Library, EntryPoint = "fake_nvml_wait_hung")]
    private static partial int WaitHung(int count, uint capMilliseconds);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Library ? NativeLibrary.Load(LibraryPath) : 0;
}
