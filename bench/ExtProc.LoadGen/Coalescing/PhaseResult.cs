using AiSidecar.EngineSimulator;
using static AiSidecar.ExtProc.LoadGen.Coalescing.CoalesceReport;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>
/// What measured windows of one path saw, summed over the windows: the clients' view, and the server's (metric
/// deltas) and the engine's (counter deltas) over the same time.
/// </summary>
internal sealed class PhaseResult
{
    public PathStats Stats { get; } = new();

    public TimeSpan Window { get; private set; }

    /// <summary>CPU time of the server process, and of the whole machine (all CPUs), in the windows.</summary>
    public TimeSpan ServerCpu { get; private set; }

    public TimeSpan MachineCpu { get; private set; }

    /// <summary>Batches sent and the requests in them (<c>extproc_coalesce_batch_requests</c> count and sum).</summary>
    public double Batches { get; private set; }

    public double BatchedRequests { get; private set; }

    /// <summary><c>extproc_coalesce_wait_seconds</c>: cumulative buckets and the sum.</summary>
    public SortedDictionary<double, double> Wait { get; } = [];

    public double WaitSeconds { get; private set; }

    /// <summary>Batch calls and their total seconds (<c>extproc_coalesce_upstream_duration_seconds</c>).</summary>
    public double Calls { get; private set; }

    public double CallSeconds { get; private set; }

    /// <summary><c>extproc_coalesce_requests_total</c> by series (labels).</summary>
    public SortedDictionary<string, double> Outcomes { get; } = new(StringComparer.Ordinal);

    public long EngineBatches { get; private set; }

    public long EngineItems { get; private set; }

    public TimeSpan EngineBusy { get; private set; }

    public double RequestsPerSecond => Stats.Completed / Window.TotalSeconds;

    /// <summary>One window's result, from the scrapes and counters taken at its two ends.</summary>
    public static PhaseResult Of(PathStats stats, TimeSpan window, CpuSnapshot cpu, MetricsScrape before, MetricsScrape after,
        SimulatorCounters engineBefore, SimulatorCounters engineAfter)
    {
        var result = new PhaseResult
        {
            Window = window,
            ServerCpu = cpu.Server ?? TimeSpan.Zero,
            MachineCpu = cpu.Machine ?? TimeSpan.Zero,
            Batches = Delta(BatchRequestsMetric + "_count"),
            BatchedRequests = Delta(BatchRequestsMetric + "_sum"),
            WaitSeconds = Delta(WaitMetric + "_sum"),
            Calls = Delta(UpstreamDurationMetric + "_count"),
            CallSeconds = Delta(UpstreamDurationMetric + "_sum"),
            EngineBatches = engineAfter.GpuBatches - engineBefore.GpuBatches,
            EngineItems = engineAfter.Items - engineBefore.Items,
            EngineBusy = engineAfter.BusyTime - engineBefore.BusyTime,
        };
        result.Stats.Add(stats);
        foreach (var (bound, count) in after.Histogram(WaitMetric).Minus(before.Histogram(WaitMetric)).Total())
        {
            result.Wait[bound] = count;
        }

        foreach (var (series, value) in after.Plain.Family(RequestsMetric))
        {
            if (value - before.Plain[series] is var delta and > 0)
            {
                result.Outcomes[series[(RequestsMetric.Length + 1)..^1]] = delta;
            }
        }

        return result;

        double Delta(string name) => after.Sum(name) - before.Sum(name);
    }

    public void Add(PhaseResult other)
    {
        Stats.Add(other.Stats);
        Window += other.Window;
        ServerCpu += other.ServerCpu;
        MachineCpu += other.MachineCpu;
        Batches += other.Batches;
        BatchedRequests += other.BatchedRequests;
        WaitSeconds += other.WaitSeconds;
        Calls += other.Calls;
        CallSeconds += other.CallSeconds;
        EngineBatches += other.EngineBatches;
        EngineItems += other.EngineItems;
        EngineBusy += other.EngineBusy;
        foreach (var (bound, count) in other.Wait)
        {
            Wait[bound] = Wait.GetValueOrDefault(bound) + count;
        }

        foreach (var (series, value) in other.Outcomes)
        {
            Outcomes[series] = Outcomes.GetValueOrDefault(series) + value;
        }
    }
}
