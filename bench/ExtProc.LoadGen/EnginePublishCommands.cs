using System.Globalization;
using System.Net;
using System.Text;
using AiSidecar.ExtProc.Bench;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// <c>engine-publish</c>: stands in for N model servers' metrics endpoints, one loopback port each, served over
/// HTTP/1.1 with keep-alive as vLLM's uvicorn serves <c>/metrics</c>. Each GET answers a full page shaped as the
/// engine emits it (<see cref="EnginePages"/>) whose load values move with the clock, so no two scrapes a quarter
/// second apart read the same page (docs/benchmarks.md, "GPU agents and engine scraping together (the real server)";
/// bench/measure-admission-telemetry.sh).
/// </summary>
internal static class EnginePublishCommands
{
    private const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary><c>engine-publish [--endpoints 50] [--base-port 9100] [--kind vllm] [--max-seconds 600]</c>.</summary>
    public static async Task<int> PublishAsync(IReadOnlyList<string> args)
    {
        var (endpoints, basePort, kind, maxSeconds) = (50, 9100, "vllm", 600);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--endpoints": endpoints = Int(args[++i]); break;
                case "--base-port": basePort = Int(args[++i]); break;
                case "--kind": kind = args[++i]; break;
                case "--max-seconds": maxSeconds = Int(args[++i]); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        Func<int, long, string> page = kind switch
        {
            "vllm" => VllmPage,
            "sglang" => SglangPage,
            "tgi" => TgiPage,
            "trtllm" => TrtllmPage,
            _ => throw new ArgumentException($"Unknown engine kind {kind} (vllm, sglang, tgi, trtllm)."),
        };

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var port = basePort; port < basePort + endpoints; port++)
            {
                kestrel.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        app.MapGet("/metrics", (HttpContext context) =>
        {
            // A quarter-second step: the values change between two scrapes of the server's default interval.
            var body = Encoding.UTF8.GetBytes(page(context.Connection.LocalPort, Environment.TickCount64 / 250));
            return Results.Bytes(body, ContentType);
        });
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine(FormattableString.Invariant(
            $"engine-publish: {endpoints} {kind} endpoints on http://127.0.0.1:{basePort}-{basePort + endpoints - 1}/metrics, HTTP/1.1, values change every 250 ms"));
        await ServerCommands.WaitForEndAsync(app, maxSeconds, abortOpen: true).ConfigureAwait(false);
        return 0;
    }

    // Load below the pools' default limits (5 waiting per endpoint, KV use 0.8): the servers admit, as a healthy fleet does.
    private static string VllmPage(int port, long step) => EnginePages.Vllm(Waiting(port, step), Running(port, step), Kv(port, step));

    private static string SglangPage(int port, long step) => EnginePages.Sglang(Waiting(port, step), Running(port, step), Kv(port, step));

    private static string TgiPage(int port, long step) => EnginePages.Tgi(Waiting(port, step), Running(port, step));

    private static string TrtllmPage(int port, long step) => EnginePages.Trtllm(Waiting(port, step), Running(port, step), Kv(port, step));

    private static double Waiting(int port, long step) => (port + step) % 4;

    private static double Running(int port, long step) => 8 + ((port + (3 * step)) % 24);

    private static double Kv(int port, long step) => 0.2 + (((port + step) % 50) / 100.0);

    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
