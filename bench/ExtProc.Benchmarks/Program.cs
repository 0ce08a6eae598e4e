using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ExtProc.Benchmarks -- --filter '*' [--job short|dry]
// dotnet run -c Release --project bench/ExtProc.Benchmarks -- --sse-chunk-latency [STREAMS] [WARMUP]
if (args is ["--sse-chunk-latency", .. var rest])
{
    AiSidecar.ExtProc.Benchmarks.SseChunkLatency.Run(
        rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 300,
        rest.Length > 1 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 100);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(AiSidecar.ExtProc.Benchmarks.BodyCase).Assembly).Run(args);
