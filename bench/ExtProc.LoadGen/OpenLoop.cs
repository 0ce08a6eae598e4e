using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// Calls an operation at a fixed rate, open loop (each call started on time whatever the others are doing, on the
/// thread pool), and keeps the latencies the calls report after a warm-up: what the <c>budget</c> and <c>cache</c>
/// commands measure.
/// </summary>
internal static class OpenLoop
{
    private static readonly byte[] Ping = "*1\r\n$4\r\nPING\r\n"u8.ToArray();

    /// <summary>
    /// Runs <paramref name="call"/> (given its number) <paramref name="rate"/> times a second for
    /// <paramref name="warmup"/> + <paramref name="duration"/> seconds; a call returns the stopwatch ticks of what it
    /// timed, or null when it failed.
    /// </summary>
    public static async Task<Result> RunAsync(int rate, int warmup, int duration, Func<long, Task<long?>> call)
    {
        var histogram = new LatencyHistogram();
        var failures = 0;
        var gate = new Lock();
        var pending = new List<Task>();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var total = (long)(warmup + duration) * rate;
        var gcBefore = GcState.Now();
        var clock = Stopwatch.StartNew();
        for (var n = 0L; n < total; n++)
        {
            var wait = interval * n - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }

            var number = n;
            var measured = n >= (long)warmup * rate;
            pending.Add(Task.Run(async () =>
            {
                if (await call(number).ConfigureAwait(false) is not { } ticks)
                {
                    Interlocked.Increment(ref failures);
                }
                else if (measured)
                {
                    lock (gate)
                    {
                        histogram.RecordTicks(ticks);
                    }
                }
            }));
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        return new Result(histogram, failures, total, clock.Elapsed.TotalSeconds, GcState.Now() - gcBefore);
    }

    /// <summary>
    /// The control: the same open loop whose call is one hop through the thread pool (<c>Task.Yield</c>) and nothing
    /// else: the floor this machine's scheduling puts under any asynchronous call at that rate.
    /// </summary>
    public static Task<Result> ControlAsync(int rate, int warmup, int duration) => RunAsync(rate, warmup, duration, async _ =>
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Yield();
        return Stopwatch.GetTimestamp() - started;
    });

    /// <summary>
    /// The floor of the asynchronous round trip: the same open loop whose call is a <c>PING</c> on a plain socket to
    /// the Redis at <paramref name="host"/>:<paramref name="port"/>, awaited on the thread pool as the server awaits
    /// its Redis calls, with no client library and no server code in it. One call on the socket at a time; the wait
    /// for the socket is timed, as a client's queue would be.
    /// </summary>
    public static async Task<Result> RoundTripControlAsync(int rate, int warmup, int duration, string host, int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port).ConfigureAwait(false);
        using var gate = new SemaphoreSlim(1);
        var reply = new byte[64];
        return await RunAsync(rate, warmup, duration, async _ =>
        {
            var started = Stopwatch.GetTimestamp();
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await socket.SendAsync(Ping).ConfigureAwait(false);
                var read = 0;
                do
                {
                    var n = await socket.ReceiveAsync(reply.AsMemory(read)).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return null;
                    }

                    read += n;
                }
                while (reply[read - 1] != (byte)'\n');
            }
            finally
            {
                gate.Release();
            }

            return Stopwatch.GetTimestamp() - started;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// The machine's own floor: the same <c>PING</c> at the same rate, from one thread of its own that sleeps between
    /// calls and blocks on the socket, so the reply wakes the very thread that waits for it and nothing else.
    /// </summary>
    public static Task<Result> BlockingRoundTripControlAsync(int rate, int warmup, int duration, string host, int port)
    {
        var done = new TaskCompletionSource<Result>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                done.SetResult(BlockingRoundTrips(rate, warmup, duration, host, port));
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = "blocking control" }.Start();
        return done.Task;
    }

    private static Result BlockingRoundTrips(int rate, int warmup, int duration, string host, int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(host, port);
        var reply = new byte[64];
        var histogram = new LatencyHistogram();
        var failures = 0;
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var total = (long)(warmup + duration) * rate;
        var gcBefore = GcState.Now();
        var clock = Stopwatch.StartNew();
        for (var n = 0L; n < total; n++)
        {
            var wait = interval * n - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            var started = Stopwatch.GetTimestamp();
            socket.Send(Ping);
            var read = 0;
            do
            {
                var received = socket.Receive(reply.AsSpan(read));
                if (received == 0)
                {
                    failures++;
                    break;
                }

                read += received;
            }
            while (reply[read - 1] != (byte)'\n');

            if (n >= (long)warmup * rate)
            {
                histogram.RecordTicks(Stopwatch.GetTimestamp() - started);
            }
        }

        return new Result(histogram, failures, total, clock.Elapsed.TotalSeconds, GcState.Now() - gcBefore);
    }

    /// <summary>The process's collections by generation and their total pause.</summary>
    internal readonly record struct GcState(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated)
    {
        public static GcState Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false));

        public static GcState operator -(GcState a, GcState b) => new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Pause - b.Pause, a.Allocated - b.Allocated);
    }

    /// <summary>What a run measured.</summary>
    internal sealed record Result(LatencyHistogram Histogram, int Failures, long Total, double Seconds, GcState Gc)
    {
        /// <summary>Prints the counts and the latency quantiles under <paramref name="what"/>.</summary>
        public void Print(string what, int rate)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}: {Histogram.Count} measured at {rate}/s ({Total / Seconds:F0}/s achieved over {Seconds:F1} s), failures {Failures}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"latency us: p50 {Histogram.Quantile(0.5):F0}  p90 {Histogram.Quantile(0.9):F0}  p99 {Histogram.Quantile(0.99):F0}  p99.9 {Histogram.Quantile(0.999):F0}  max {Histogram.MaxMicros}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"collections: gen0 {Gc.Gen0}  gen1 {Gc.Gen1}  gen2 {Gc.Gen2}, paused {Gc.Pause.TotalMilliseconds:F1} ms in all ({(GCSettings.IsServerGC ? "server" : "workstation")} GC); {Gc.Allocated / Total / 1024.0:F1} KiB allocated per call"));
        }
    }
}
