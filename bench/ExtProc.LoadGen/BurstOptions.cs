using System.Globalization;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>Options of the <c>memory</c> command: bursts of large bodies (or partial gRPC messages) against a spawned server.</summary>
internal sealed class BurstOptions
{
    /// <summary>What the bodies hold: English prose, one random a-z word, or spaces.</summary>
    public string Body { get; set; } = "prose";

    /// <summary>Size of each body. Default 8 MiB (the server's default limit).</summary>
    public int BodyBytes { get; set; } = 8 << 20;

    /// <summary>Exchanges started at once in each round. Default 16.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>HTTP/2 connections they share. Default 2.</summary>
    public int Connections { get; set; } = 2;

    /// <summary>Bursts, one after the other. Default 1.</summary>
    public int Rounds { get; set; } = 1;

    /// <summary>How long each message may wait for its reply before the client resets the stream, as Envoy's <c>message_timeout</c> does (then Envoy answers 504). Default 1 s, the shipped configs' value.</summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the server is watched, idle, after the last burst. Default 60 s.</summary>
    public TimeSpan Idle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the server's memory is sampled. Default 250 ms.</summary>
    public TimeSpan SampleEvery { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>RSS the server should fall back under after the bursts. Default 400 MB.</summary>
    public long SettleBytes { get; set; } = 400L * 1000 * 1000;

    /// <summary>Streams that each send a partial gRPC message instead of exchanges (0: none).</summary>
    public int Partial { get; set; }

    /// <summary>The length a partial message announces. Default the server's receive limit.</summary>
    public int PartialAnnounced { get; set; } = new AiSidecar.ExtProc.Hosting.ServerOptions().MaxReceiveMessageBytes;

    /// <summary>How much of it each partial stream sends before it stalls. Default the announced length less 1 byte.</summary>
    public int? PartialSent { get; set; }

    /// <summary>How long the partial streams stall before they are reset. Default 10 s.</summary>
    public TimeSpan PartialHold { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Arguments for the spawned server (config overrides).</summary>
    public List<string> ServerArgs { get; } = [];

    /// <summary>Environment variables for the spawned server.</summary>
    public Dictionary<string, string> ServerEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>A cgroup v1 memory directory to run the server in (its limit plays the pod's).</summary>
    public string? Cgroup { get; set; }

    public static BurstOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BurstOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--body": o.Body = Next() is "prose" or "word" or "spaces" ? args[i] : throw new ArgumentException("--body is prose, word or spaces."); break;
                case "--body-bytes": o.BodyBytes = Size(Next()); break;
                case "--concurrency": o.Concurrency = Int(Next()); break;
                case "--connections": o.Connections = Int(Next()); break;
                case "--rounds": o.Rounds = Int(Next()); break;
                case "--message-timeout-ms": o.MessageTimeout = TimeSpan.FromMilliseconds(Int(Next())); break;
                case "--idle": o.Idle = TimeSpan.FromSeconds(Int(Next())); break;
                case "--sample-ms": o.SampleEvery = TimeSpan.FromMilliseconds(Int(Next())); break;
                case "--settle-mb": o.SettleBytes = Int(Next()) * 1000L * 1000; break;
                case "--partial": o.Partial = Int(Next()); break;
                case "--partial-announced": o.PartialAnnounced = Size(Next()); break;
                case "--partial-sent": o.PartialSent = Size(Next()); break;
                case "--partial-hold": o.PartialHold = TimeSpan.FromSeconds(Int(Next())); break;
                case "--server-arg": o.ServerArgs.Add(Next()); break;
                case "--server-env":
                    var pair = Next().Split('=', 2);
                    o.ServerEnvironment[pair[0]] = pair.Length == 2 ? pair[1] : throw new ArgumentException("--server-env needs NAME=VALUE.");
                    break;
                case "--cgroup": o.Cgroup = Next(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (o.Concurrency < 1 || o.Connections < 1 || o.Connections > o.Concurrency || o.Rounds < 1)
        {
            throw new ArgumentException("Need --rounds >= 1 and 1 <= --connections <= --concurrency.");
        }

        if (o.Idle + (o.Rounds * TimeSpan.FromMinutes(2)) > LoadOptions.MaxRun)
        {
            throw new ArgumentException($"Rounds and idle time must stay within {LoadOptions.MaxRun.TotalMinutes} minutes.");
        }

        return o;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>Bytes, with an optional k (KiB) or m (MiB) suffix.</summary>
    private static int Size(string value)
    {
        var multiplier = char.ToLowerInvariant(value[^1]) switch { 'k' => 1024, 'm' => 1 << 20, _ => 1 };
        var digits = multiplier == 1 ? value : value[..^1];
        return checked(int.Parse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture) * multiplier);
    }
}
