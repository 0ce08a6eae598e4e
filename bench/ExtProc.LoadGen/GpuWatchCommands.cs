extern alias gpuagent;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Telemetry;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Api = gpuagent::AiSidecar.GpuAgent.Api.V1;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// The cost of watching GPU agents: <c>gpu-publish</c> stands in for N agents (one port each, every Watch stream
/// pushed a fresh 8-GPU snapshot every interval), <c>gpu-watch</c> runs the server's own watcher and fleet against them
/// and reports its process's CPU time (docs/benchmarks.md, "Admission (issue 11): decision cost and telemetry"; bench/measure-gpu-watch.sh).
/// </summary>
internal static class GpuWatchCommands
{
    /// <summary><c>gpu-publish [--agents 64] [--base-port 50100] [--interval-ms 250] [--gpus 8] [--max-seconds 600]</c>.</summary>
    public static async Task<int> PublishAsync(IReadOnlyList<string> args)
    {
        var (agents, basePort, intervalMs, gpus, maxSeconds) = (64, 50100, 250, 8, 600);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--agents": agents = Int(args[++i]); break;
                case "--base-port": basePort = Int(args[++i]); break;
                case "--interval-ms": intervalMs = Int(args[++i]); break;
                case "--gpus": gpus = Int(args[++i]); break;
                case "--max-seconds": maxSeconds = Int(args[++i]); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new Publisher(TimeSpan.FromMilliseconds(intervalMs), gpus));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var port = basePort; port < basePort + agents; port++)
            {
                kestrel.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2);
            }
        });
        var app = builder.Build();
        app.MapGrpcService<FakeAgent>();
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine($"publishing: {agents} agents on 127.0.0.1:{basePort}-{basePort + agents - 1}, {gpus} GPUs each, every {intervalMs} ms");
        await ServerCommands.WaitForEndAsync(app, maxSeconds, abortOpen: true).ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>gpu-watch [--agents 64] [--base-port 50100] [--warmup 30] [--duration 60]</c>: prints CPU % of one core over the window.</summary>
    public static async Task<int> WatchAsync(IReadOnlyList<string> args)
    {
        var (agents, basePort, warmup, duration) = (64, 50100, 30, 60);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--agents": agents = Int(args[++i]); break;
                case "--base-port": basePort = Int(args[++i]); break;
                case "--warmup": warmup = Int(args[++i]); break;
                case "--duration": duration = Int(args[++i]); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(Options.Create(new AdmissionOptions
        {
            GpuAgents = new GpuAgentsOptions { Addresses = [.. Enumerable.Range(basePort, agents).Select(p => $"127.0.0.1:{p}")] },
        }));
        services.AddExtProcTelemetry(new TelemetryOptions());
        services.AddGpuFleet();
        await using var provider = services.BuildServiceProvider();
        var fleet = provider.GetRequiredService<GpuFleet>();
        var watcher = provider.GetServices<IHostedService>().OfType<GpuAgentWatcher>().Single();
        await watcher.StartAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(warmup)).ConfigureAwait(false);

        var process = Process.GetCurrentProcess();
        process.Refresh();
        var (cpu0, version0, clock) = (process.TotalProcessorTime, fleet.Current.Version, Stopwatch.StartNew());
        await Task.Delay(TimeSpan.FromSeconds(duration)).ConfigureAwait(false);
        process.Refresh();
        var (cpu, updates, elapsed) = (process.TotalProcessorTime - cpu0, fleet.Current.Version - version0, clock.Elapsed);
        var connected = fleet.Current.Agents.Values.Count(a => a.Connected);
        var devices = fleet.Current.Agents.Values.Sum(a => a.Node?.Devices.Length ?? 0);
        Console.WriteLine(FormattableString.Invariant(
            $"agents connected {connected}/{agents}, devices {devices}, updates/s {updates / elapsed.TotalSeconds:0.0}, window {elapsed.TotalSeconds:0} s"));
        Console.WriteLine(FormattableString.Invariant(
            $"CPU {cpu.TotalMilliseconds:0} ms = {cpu / elapsed * 100:0.00} % of one core; {cpu.TotalMicroseconds / Math.Max(updates, 1):0.0} µs per update (process total, GC included)"));
        await watcher.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Builds each agent's snapshots: 8 GPUs with memory and utilization that move, one pod each.</summary>
    private sealed class Publisher(TimeSpan interval, int gpus)
    {
        public TimeSpan Interval => interval;

        public Api.NodeSnapshot Next(int port, ulong sequence)
        {
            var node = new Api.NodeSnapshot
            {
                NodeName = $"node-{port}",
                PoolLabels = { ["pool"] = "h100" },
                SampledAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TimeProvider.System.GetUtcNow()),
                Sequence = sequence,
                ContentVersion = sequence,
                NvmlUp = true,
                PodMappingAvailable = true,
            };
            for (var i = 0; i < gpus; i++)
            {
                var used = (ulong)(40 + ((int)sequence + i) % 30) << 30;
                node.Devices.Add(new Api.GpuDevice
                {
                    Index = (uint)i,
                    Uuid = $"GPU-{port:D5}{i:D3}-1111-2222-3333-444444444444",
                    Name = "NVIDIA H100 80GB HBM3",
                    PciBusId = $"00000000:{i + 10:X2}:00.0",
                    MemoryTotalBytes = 80UL << 30,
                    MemoryUsedBytes = used,
                    MemoryFreeBytes = (80UL << 30) - used,
                    GpuUtilizationPercent = (uint)((sequence + (ulong)i) % 100),
                    MemoryUtilizationPercent = 30,
                    TemperatureCelsius = 60,
                    PowerMilliwatts = 500_000,
                    Processes = { new Api.GpuProcess { Pid = 4000 + (uint)i, UsedMemoryBytes = used } },
                    Health = new Api.DeviceHealth { Healthy = true, ThermalSlowdown = false, PowerSlowdown = false },
                    Pods = { new Api.PodRef { Namespace = "llm", Pod = $"vllm-large-{port}-{i}", Container = "vllm" } },
                });
            }

            return node;
        }
    }

    private sealed class FakeAgent(Publisher publisher) : Api.GpuAgent.GpuAgentBase
    {
        public override async Task Watch(Api.WatchRequest request, IServerStreamWriter<Api.NodeSnapshot> responseStream, ServerCallContext context)
        {
            var port = context.GetHttpContext().Connection.LocalPort;
            using var timer = new PeriodicTimer(publisher.Interval);
            ulong sequence = 0;
            try
            {
                do
                {
                    await responseStream.WriteAsync(publisher.Next(port, ++sequence), context.CancellationToken).ConfigureAwait(false);
                }
                while (await timer.WaitForNextTickAsync(context.CancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                // The watcher went away.
            }
        }
    }
}
