using System.Globalization;
using System.Text;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// What the <c>budget</c> and <c>cache</c> commands share: their options, the server's services on a config with
/// their section against the given Redis (its <see cref="RedisConnection"/> started), and the measured open loop.
/// </summary>
internal sealed class RedisBench : IAsyncDisposable
{
    private RedisBench(Options options, ServiceProvider services)
    {
        Settings = options;
        Services = services;
    }

    /// <summary><c>--redis HOST:PORT [--rate 500] [--duration 20] [--warmup 3] [--tenants 64] [--distinct 256] [--local-max-bytes 0] [--control]</c>.</summary>
    internal sealed record Options(string Redis, int Rate, int Duration, int Warmup, int Tenants, int Distinct, long LocalMaxBytes, bool Control);

    public Options Settings { get; }

    public ServiceProvider Services { get; }

    /// <summary>
    /// Parses <paramref name="args"/> and builds the server's core services plus <paramref name="add"/>'s on a config
    /// with the <paramref name="section"/> (YAML) for the options and the Redis (a 1 s operation timeout: the bench cuts no call).
    /// </summary>
    public static async Task<RedisBench> StartAsync(IReadOnlyList<string> args, Func<Options, string> section, Func<IServiceCollection, IServiceCollection> add)
    {
        var options = new Options("", 500, 20, 3, 64, 256, 0, false);
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--redis" => options with { Redis = args[++i] },
                "--rate" => options with { Rate = Int(args[++i]) },
                "--duration" => options with { Duration = Int(args[++i]) },
                "--warmup" => options with { Warmup = Int(args[++i]) },
                "--tenants" => options with { Tenants = Int(args[++i]) },
                "--distinct" => options with { Distinct = Int(args[++i]) },
                "--local-max-bytes" => options with { LocalMaxBytes = long.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--control" => options with { Control = true },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        if (options.Redis.Length == 0)
        {
            throw new ArgumentException("--redis HOST:PORT is required.");
        }

        // Keys of this run only (its own prefix), so no entry or counter of an earlier run against the same Redis is met.
        var prefix = $"bench:{Guid.NewGuid():N}:";
        var yaml = $"tokenization:\n  encoding: o200k_base\nprocessing:\n  messageTimeoutMs: 10000\nredis:\n  endpoints: [\"{options.Redis}\"]\n  operationTimeoutMs: 1000\n  keyPrefix: \"{prefix}\"\n{section(options)}";
        if (!ConfigLoader.TryLoad(new ConfigSources(null, []), Encoding.UTF8.GetBytes(yaml), null, out var loaded, out var errors))
        {
            throw new ArgumentException(string.Join("\n", errors));
        }

        var services = add(new ServiceCollection().AddLogging().AddExtProcCore(loaded!)).BuildServiceProvider();
        await services.GetRequiredService<RedisConnection>().StartAsync(CancellationToken.None).ConfigureAwait(false);
        return new RedisBench(options, services);
    }

    /// <summary>The controls when asked (<see cref="OpenLoop.ControlAsync"/>, <see cref="OpenLoop.BlockingRoundTripControlAsync"/>, <see cref="OpenLoop.RoundTripControlAsync"/>), then <paramref name="call"/> in the open loop, printed as <paramref name="what"/>; the exit code.</summary>
    public async Task<int> MeasureAsync(string what, Func<long, Task<long?>> call)
    {
        var (rate, warmup, duration) = (Settings.Rate, Settings.Warmup, Settings.Duration);
        if (Settings.Control)
        {
            (await OpenLoop.ControlAsync(rate, warmup, duration).ConfigureAwait(false)).Print("control (one thread-pool hop)", rate);
            var colon = Settings.Redis.LastIndexOf(':');
            var (host, port) = (Settings.Redis[..colon], Int(Settings.Redis[(colon + 1)..]));
            (await OpenLoop.BlockingRoundTripControlAsync(rate, warmup, duration, host, port).ConfigureAwait(false))
                .Print("control (a PING from one blocking thread: the machine's round trip)", rate);
            (await OpenLoop.RoundTripControlAsync(rate, warmup, duration, host, port).ConfigureAwait(false))
                .Print("control (a PING on a plain socket, awaited on the thread pool: the runtime's round trip)", rate);
        }

        var result = await OpenLoop.RunAsync(rate, warmup, duration, call).ConfigureAwait(false);
        result.Print(what, rate);
        return result.Failures == 0 ? 0 : 1;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.GetRequiredService<RedisConnection>().DisposeAsync().ConfigureAwait(false);
        await Services.DisposeAsync().ConfigureAwait(false);
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
