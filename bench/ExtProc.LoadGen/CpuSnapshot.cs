using System.Diagnostics;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// CPU time used so far by the server under test, by this load generator and by the whole machine (busy time of
/// all CPUs from <c>/proc/stat</c>), so a report can show how much CPU other processes took during the run.
/// </summary>
internal readonly record struct CpuSnapshot(TimeSpan? Server, TimeSpan Client, TimeSpan? Machine)
{
    public CpuSnapshot(int? serverPid)
        : this(serverPid is { } pid ? ServerProcessInfo.CpuTime(pid) : null, Process.GetCurrentProcess().TotalProcessorTime, ServerProcessInfo.MachineBusy())
    {
    }

    /// <summary>CPU time used by neither the server nor this tool.</summary>
    public TimeSpan? Others => Machine - Client - (Server ?? TimeSpan.Zero);

    public CpuSnapshot Minus(CpuSnapshot earlier) => new(Server - earlier.Server, Client - earlier.Client, Machine - earlier.Machine);
}
