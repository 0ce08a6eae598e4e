using System.Diagnostics;
using System.Globalization;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// The per-chunk distribution BenchmarkDotNet cannot give (its percentiles are of iterations, each a whole stream's
/// mean): the same streams as <see cref="SseResponseBenchmarks"/>, each chunk's handling (reply built and written)
/// timed on its own. <c>dotnet ExtProc.Benchmarks.dll --sse-chunk-latency [STREAMS=300] [WARMUP=100]</c>.
/// </summary>
internal static class SseChunkLatency
{
    public static void Run(int streams, int warmup)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SSE chunk latency: {streams} streams of 2,000 chunks per mode after {warmup} unmeasured; {TimeProvider.System.GetUtcNow():u}; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        Console.WriteLine("| mode | chunks | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | GCs (gen0/1/2) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var mode in Enum.GetValues<SseResponseBenchmarks.UsageMode>())
        {
            var bench = new SseResponseBenchmarks { Mode = mode };
            bench.Setup();
            try
            {
                for (var s = 0; s < warmup; s++)
                {
                    bench.StartStream();
                    bench.Stream();
                }

                var ticks = new long[streams * bench.ChunkCount];
                var n = 0;
                var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                for (var s = 0; s < streams; s++)
                {
                    bench.StartStream();
                    n += bench.TimeEachChunk(ticks.AsSpan(n));
                }

                gcs = (GC.CollectionCount(0) - gcs.Item1, GC.CollectionCount(1) - gcs.Item2, GC.CollectionCount(2) - gcs.Item3);
                Array.Sort(ticks, 0, n);
                double At(double q) => ticks[Math.Min(n - 1, (int)(q * n))] * 1e6 / Stopwatch.Frequency;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {mode} | {n:N0} | {At(0.5):F1} | {At(0.9):F1} | {At(0.99):F1} | {At(0.999):F1} | {ticks[n - 1] * 1e6 / Stopwatch.Frequency:F1} | {gcs.Item1}/{gcs.Item2}/{gcs.Item3} |"));
            }
            finally
            {
                bench.Cleanup();
            }
        }
    }
}
