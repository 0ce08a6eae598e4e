using System.Globalization;

namespace AiSidecar.ExtProc.LoadGen.Soak;

/// <summary>Options of the <c>soak</c> command.</summary>
internal sealed class SoakOptions
{
    /// <summary>Concurrent ext_proc streams, each running one exchange after another. Default 1,000.</summary>
    public int Streams { get; set; } = 1000;

    /// <summary>HTTP/2 connections the streams share. Default 4.</summary>
    public int Connections { get; set; } = 4;

    /// <summary>How long the traffic runs. Default 10 minutes.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Share of exchanges the client cancels part-way (a reset, as Envoy sends when the downstream goes away). Default 5 %.</summary>
    public double CancelShare { get; set; } = 0.05;

    /// <summary>How often the config file is rewritten with a real change. Default 1 minute.</summary>
    public TimeSpan ReloadEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the server's RSS and gauges are sampled. Default 5 s.</summary>
    public TimeSpan SampleEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest one exchange may take before it counts as an error (the server is not answering). Default 60 s.</summary>
    public TimeSpan ExchangeTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Folder for the config file the server runs on; a new temporary folder by default.</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>Seed of the traffic mix, so a run can be repeated exactly.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Upper bound on the duration: 60 minutes.</summary>
    public static TimeSpan MaxDuration { get; } = TimeSpan.FromMinutes(60);

    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SoakOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--streams": o.Streams = Int(Next()); break;
                case "--connections": o.Connections = Int(Next()); break;
                case "--duration": o.Duration = Seconds(Next()); break;
                case "--cancel-percent": o.CancelShare = double.Parse(Next(), CultureInfo.InvariantCulture) / 100; break;
                case "--reload-every": o.ReloadEvery = Seconds(Next()); break;
                case "--sample-every": o.SampleEvery = Seconds(Next()); break;
                case "--exchange-timeout": o.ExchangeTimeout = Seconds(Next()); break;
                case "--work-dir": o.WorkDirectory = Next(); break;
                case "--seed": o.Seed = Int(Next()); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (o.Streams < 1 || o.Connections < 1 || o.Connections > o.Streams)
        {
            throw new ArgumentException("Need 1 <= --connections <= --streams.");
        }

        if (o.Duration <= TimeSpan.Zero || o.Duration > MaxDuration || o.ReloadEvery < TimeSpan.FromSeconds(5) || o.SampleEvery < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"Need a duration of at most {MaxDuration.TotalMinutes} minutes, --reload-every >= 5 and --sample-every >= 1.");
        }

        if (o.CancelShare is < 0 or > 1)
        {
            throw new ArgumentException("--cancel-percent is from 0 to 100.");
        }

        return o;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
