using System.Globalization;
using AiSidecar.EngineSimulator;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>Options of the <c>coalesce</c> command (docs/benchmarks.md, "Coalescing (issue 12)").</summary>
internal sealed class CoalesceOptions
{
    /// <summary>Closed-loop clients of the load phases. Default 64.</summary>
    public int Clients { get; private set; } = 64;

    /// <summary>HTTP/2 connections the ext_proc streams share (Envoy uses few). Default 2.</summary>
    public int Connections { get; private set; } = 2;

    /// <summary>The simulator modes to run, in order.</summary>
    public IReadOnlyList<SimulatorMode> Modes { get; private set; } = [SimulatorMode.Serial, SimulatorMode.Batching];

    /// <summary>Run the direct side, the coalesced side, or both (the coalesced side needs the codecs).</summary>
    public bool Direct { get; private set; } = true;

    public bool Coalesced { get; private set; } = true;

    /// <summary>Measured seconds of each load phase. Default 20 s.</summary>
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Unmeasured seconds of each path after each server starts. Default 10 s: on 2 busy cores tiered JIT needs that
    /// long before the server runs optimized code (a cold coalesced path cost 3x the CPU per request).
    /// </summary>
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>Unmeasured seconds at the start of each turn of a path: the engine's queue reaches its steady state. Default 2 s.</summary>
    public TimeSpan Settle { get; private set; } = TimeSpan.FromSeconds(2);

    /// <summary>Turns each path takes, alternating, to make up its measured time. Default 4.</summary>
    public int Rounds { get; private set; } = 4;

    /// <summary>The coalescing model's <c>maxWaitMs</c>. Default 10.</summary>
    public int MaxWaitMs { get; private set; } = 10;

    /// <summary>The pool's <c>upstream.maxInFlight</c> against the batching engine (the serial engine gets 1). Default 4.</summary>
    public int BatchingInFlight { get; private set; } = 8;

    /// <summary>Sequential requests of each path for the lone-request comparison, per mode; 0 skips it. Default 2000.</summary>
    public int LoneRequests { get; private set; } = 2000;

    /// <summary><c>processing.messageTimeoutMs</c> (and the upstream call timeout) of the load phases. Default 1000, as the shipped configs.</summary>
    public int MessageTimeoutMs { get; private set; } = 1_000;

    /// <summary>Requests sent at once against a stalled upstream for the memory run; 0 skips it. Default 10000.</summary>
    public int Hold { get; private set; } = 10_000;

    /// <summary><c>coalescing.maxHeldRequests</c> of the memory run. Default 5000.</summary>
    public int HeldCap { get; private set; } = 5_000;

    /// <summary><c>coalescing.maxHeldBytes</c> of the memory run. Default 16 MiB.</summary>
    public long HeldBytes { get; private set; } = 16 << 20;

    /// <summary>The ext_proc connections the memory run's streams share. Default 8.</summary>
    public int HoldConnections { get; private set; } = 8;

    public static CoalesceOptions Parse(IReadOnlyList<string> args)
    {
        var o = new CoalesceOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--clients": o.Clients = Int(Next()); break;
                case "--connections": o.Connections = Int(Next()); break;
                case "--mode": o.Modes = Next() switch
                {
                    "serial" => [SimulatorMode.Serial],
                    "batching" => [SimulatorMode.Batching],
                    "both" => [SimulatorMode.Serial, SimulatorMode.Batching],
                    "none" => [],
                    var other => throw new ArgumentException($"--mode {other}: expected serial, batching, both or none."),
                };
                    break;
                case "--paths":
                    (o.Direct, o.Coalesced) = Next() switch
                    {
                        "direct" => (true, false),
                        "coalesced" => (false, true),
                        "both" => (true, true),
                        var other => throw new ArgumentException($"--paths {other}: expected direct, coalesced or both."),
                    };
                    break;
                case "--duration": o.Duration = Seconds(Next()); break;
                case "--warmup": o.Warmup = Seconds(Next()); break;
                case "--settle": o.Settle = Seconds(Next()); break;
                case "--rounds": o.Rounds = Int(Next()); break;
                case "--max-wait-ms": o.MaxWaitMs = Int(Next()); break;
                case "--message-timeout-ms": o.MessageTimeoutMs = Int(Next()); break;
                case "--batching-in-flight": o.BatchingInFlight = Int(Next()); break;
                case "--lone-requests": o.LoneRequests = Int(Next()); break;
                case "--hold": o.Hold = Int(Next()); break;
                case "--held-cap": o.HeldCap = Int(Next()); break;
                case "--held-bytes": o.HeldBytes = long.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--hold-connections": o.HoldConnections = Int(Next()); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (o.Clients < 1 || o.Connections < 1 || o.Connections > o.Clients || o.HoldConnections < 1)
        {
            throw new ArgumentException("Need 1 <= --connections <= --clients and --hold-connections >= 1.");
        }

        if (o.Rounds < 1)
        {
            throw new ArgumentException("--rounds must be at least 1.");
        }

        if (o.MessageTimeoutMs < 100)
        {
            throw new ArgumentException("--message-timeout-ms must be at least 100.");
        }

        if (o.MaxWaitMs is < 0 or > 1000 || o.BatchingInFlight < 1 || o.LoneRequests < 0 || o.Hold < 0 || o.HeldCap < 1 || o.HeldBytes < 1)
        {
            throw new ArgumentException("--max-wait-ms 0..1000, --batching-in-flight >= 1, --lone-requests >= 0, --hold >= 0, --held-cap and --held-bytes >= 1.");
        }

        if (o.Hold > 0 && !o.Coalesced)
        {
            throw new ArgumentException("The memory run (--hold) needs the coalesced path: add --hold 0 with --paths direct.");
        }

        if (o.Modes.Count * 2 * (o.Warmup + (o.Rounds * o.Settle) + o.Duration) > LoadOptions.MaxRun)
        {
            throw new ArgumentException($"The load phases must stay within {LoadOptions.MaxRun.TotalMinutes} minutes.");
        }

        return o;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
