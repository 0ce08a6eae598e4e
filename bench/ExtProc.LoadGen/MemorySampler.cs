using System.Diagnostics;
using System.Globalization;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>Samples the server's resident memory (VmRSS) and, when it runs in one, its cgroup's charge, on a fixed period.</summary>
internal sealed class MemorySampler(int pid, string? cgroup, TimeSpan period)
{
    private readonly List<(TimeSpan At, long RssBytes)> _samples = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<(TimeSpan At, long RssBytes)> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>The highest RSS sampled in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public long PeakBetween(TimeSpan from, TimeSpan to) =>
        Samples.Where(s => s.At >= from && s.At <= to).Select(s => s.RssBytes).DefaultIfEmpty(0).Max();

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period);
        do
        {
            if (ServerProcessInfo.RssKiB(pid) is { } kib)
            {
                lock (_samples)
                {
                    _samples.Add((_clock.Elapsed, kib * 1024));
                }
            }
        }
        while (await Tick(timer, stop).ConfigureAwait(false));
    }

    /// <summary>VmHWM: the highest RSS the process ever had, in bytes.</summary>
    public long? PeakRss() => Status("VmHWM:");

    /// <summary>The cgroup's highest charge, its limit and how often the OOM killer ran in it (cgroup v1 or v2 files).</summary>
    public (long? MaxUsage, long? Limit, long? OomKills) Cgroup() =>
        cgroup is null ? (null, null, null)
        : File.Exists(Path.Combine(cgroup, "memory.max"))
            ? (Read(Path.Combine(cgroup, "memory.peak")), Read(Path.Combine(cgroup, "memory.max")), Counter("memory.events", "oom_kill "))
            : (Read(Path.Combine(cgroup, "memory.max_usage_in_bytes")), Read(Path.Combine(cgroup, "memory.limit_in_bytes")), Counter("memory.oom_control", "oom_kill "));

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private long? Status(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private long? Counter(string file, string prefix)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(cgroup!, file)).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long? Read(string file)
    {
        try
        {
            // cgroup v2 writes "max" for no limit.
            return long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
