using System.Globalization;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>Options of the <c>run</c> command.</summary>
internal sealed class LoadOptions
{
    /// <summary>gRPC address of the server under test; loopback only. Null with <see cref="SpawnServer"/>.</summary>
    public Uri? Target { get; set; }

    /// <summary>Start the real server in a child process (<c>serve</c>) on free loopback ports.</summary>
    public bool SpawnServer { get; set; }

    /// <summary>Extra arguments for the spawned server (<c>--server-arg --config=FILE</c>).</summary>
    public List<string> ServerArgs { get; } = [];

    /// <summary>The server's Prometheus endpoint, for extproc_processing_seconds; known when spawned.</summary>
    public Uri? MetricsUrl { get; set; }

    /// <summary>Process id of the server whose VmRSS is sampled; 0 finds the process listening on the target port.</summary>
    public int? ServerPid { get; set; }

    /// <summary>Concurrent ext_proc streams (HTTP exchanges in flight). Default 64.</summary>
    public int Streams { get; set; } = 64;

    /// <summary>HTTP/2 connections the streams share. Default 2 (Envoy uses few).</summary>
    public int Connections { get; set; } = 2;

    /// <summary>Measured duration. Default 30 s.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop after this many measured exchanges (with the duration as an upper bound too).</summary>
    public long? Requests { get; set; }

    /// <summary>
    /// Unmeasured warm-up before the measured window. Default 30 s: on 2 busy cores tiered JIT needs 15-20 s before
    /// both client and server run optimized code.
    /// </summary>
    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Approximate size of the chat body. Default 2 KiB.</summary>
    public int BodyBytes { get; set; } = 2048;

    /// <summary>Turns of the generated chat. Default 1.</summary>
    public int Turns { get; set; } = 1;

    /// <summary>Send the very same body every time instead of stamping each request's prompt with its number.</summary>
    public bool SameBody { get; set; }

    /// <summary>Total exchanges per second to offer; 0 (default) runs closed-loop as fast as the server answers.</summary>
    public double Rate { get; set; }

    /// <summary>How often the server's RSS (and throughput) is sampled. Default 5 s.</summary>
    public TimeSpan SampleEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on any run, warm-up included: 20 minutes.</summary>
    public static TimeSpan MaxRun { get; } = TimeSpan.FromMinutes(20);

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--target": o.Target = Loopback.Require(new Uri(Next())); break;
                case "--spawn-server": o.SpawnServer = true; break;
                case "--server-arg": o.ServerArgs.Add(Next()); break;
                case "--metrics": o.MetricsUrl = Loopback.Require(new Uri(Next())); break;
                case "--server-pid": o.ServerPid = Next() is "auto" ? 0 : Int(args[i]); break;
                case "--streams": o.Streams = Int(Next()); break;
                case "--connections": o.Connections = Int(Next()); break;
                case "--duration": o.Duration = Seconds(Next()); break;
                case "--requests": o.Requests = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": o.Warmup = Seconds(Next()); break;
                case "--body-bytes": o.BodyBytes = Size(Next()); break;
                case "--turns": o.Turns = Int(Next()); break;
                case "--same-body": o.SameBody = true; break;
                case "--rate": o.Rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--sample-every": o.SampleEvery = Seconds(Next()); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (o.Target is null == !o.SpawnServer)
        {
            throw new ArgumentException("Give exactly one of --target URL and --spawn-server.");
        }

        if (o.Streams < 1 || o.Connections < 1 || o.Connections > o.Streams)
        {
            throw new ArgumentException("Need 1 <= --connections <= --streams.");
        }

        if (o.Warmup + o.Duration > MaxRun)
        {
            throw new ArgumentException($"Warm-up plus duration must stay within {MaxRun.TotalMinutes} minutes.");
        }

        return o;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));

    /// <summary>Bytes, with an optional k/K (KiB) or m/M (MiB) suffix: 2k, 256k, 1m.</summary>
    private static int Size(string value)
    {
        var multiplier = char.ToLowerInvariant(value[^1]) switch { 'k' => 1024, 'm' => 1 << 20, _ => 1 };
        var digits = multiplier == 1 ? value : value[..^1];
        return checked(int.Parse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture) * multiplier);
    }
}
