using AiSidecar.ExtProc.LoadGen;
using AiSidecar.ExtProc.LoadGen.Coalescing;
using AiSidecar.ExtProc.LoadGen.Soak;

// dotnet run -c Release --project bench/ExtProc.LoadGen -- run --spawn-server | --target http://127.0.0.1:50051 [options]
// dotnet run -c Release --project bench/ExtProc.LoadGen -- soak [options]     (bench/soak.sh)
// dotnet run -c Release --project bench/ExtProc.LoadGen -- serve-null --port 50061
// bench/measure-coalescing.sh: coalesce (direct against coalesced embeddings on the engine simulator, a lone client, a stalled engine)
// bench/measure-gpu-watch.sh: gpu-publish (64 stand-in agents) and gpu-watch (the server's watcher, its CPU measured)
// bench/measure-admission-telemetry.sh: gpu-publish, engine-publish (50 stand-in metrics endpoints) and telemetry-cpu (the real server's CPU)
const string Usage = """
    ExtProc.LoadGen: drives an ext_proc server over loopback as Envoy does in BUFFERED mode.

      run --target URL | --spawn-server [--server-arg ARG]...
          [--streams 64] [--connections 2] [--duration 30] [--requests N] [--warmup 30]
          [--body-bytes 2k] [--turns 1] [--same-body] [--rate R] [--metrics URL] [--server-pid PID|auto] [--sample-every 5]
      soak [--streams 1000] [--connections 4] [--duration 600] [--cancel-percent 5] [--reload-every 60]
          [--sample-every 5] [--exchange-timeout 60] [--work-dir DIR] [--seed 1]
      memory [--body prose|word|spaces] [--body-bytes 8m] [--concurrency 16] [--connections 2] [--rounds 1]
          [--message-timeout-ms 1000] [--idle 60] [--sample-ms 250] [--settle-mb 400]
          [--partial N [--partial-announced B] [--partial-sent B] [--partial-hold S]]
          [--server-arg ARG]... [--server-env NAME=VALUE]... [--cgroup DIR]
      coalesce [--clients 64] [--connections 2] [--mode serial|batching|both|none] [--paths direct|coalesced|both]
          [--duration 20] [--rounds 4] [--warmup 10] [--settle 2] [--max-wait-ms 10] [--message-timeout-ms 1000]
          [--batching-in-flight 8] [--lone-requests 2000]
          [--hold 10000] [--held-cap 5000] [--held-bytes 16777216] [--hold-connections 8]
      budget --redis HOST:PORT [--rate 500] [--duration 20] [--warmup 3] [--tenants 64] [--control]
      cache --redis HOST:PORT [--rate 500] [--duration 20] [--warmup 3] [--distinct 256] [--tenants 64] [--local-max-bytes 0] [--control]
      serve-null [--port 50061] [--address 127.0.0.1] [--max-seconds 3600]
      gpu-publish [--agents 64] [--base-port 50100] [--interval-ms 250] [--gpus 8] [--max-seconds 600]
      gpu-watch [--agents 64] [--base-port 50100] [--warmup 30] [--duration 60]
      engine-publish [--endpoints 50] [--base-port 9100] [--kind vllm] [--max-seconds 600]
      telemetry-cpu --config FILE --baseline-config FILE [--agents 64] [--endpoints 50] [--interval-ms 250]
          [--warmup 20] [--duration 60] [--check-model NAME]...
    """;

try
{
    return args.Length == 0 ? Fail() : args[0] switch
    {
        "run" => await RunCommand.RunAsync(args[1..]).ConfigureAwait(false),
        "soak" => await SoakCommand.RunAsync(args[1..]).ConfigureAwait(false),
        "coalesce" => await CoalesceCommand.RunAsync(args[1..]).ConfigureAwait(false),
        "memory" => await MemoryCommand.RunAsync(args[1..]).ConfigureAwait(false),
        "budget" => await BudgetCommand.RunAsync(args[1..]).ConfigureAwait(false),
        "cache" => await CacheCommand.RunAsync(args[1..]).ConfigureAwait(false),
        "serve-null" => await ServerCommands.ServeNullAsync(args[1..]).ConfigureAwait(false),
        "gpu-publish" => await GpuWatchCommands.PublishAsync(args[1..]).ConfigureAwait(false),
        "gpu-watch" => await GpuWatchCommands.WatchAsync(args[1..]).ConfigureAwait(false),
        "engine-publish" => await EnginePublishCommands.PublishAsync(args[1..]).ConfigureAwait(false),
        "telemetry-cpu" => await TelemetryCpuCommand.RunAsync(args[1..]).ConfigureAwait(false),
        _ => Fail(),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return Fail();
}

static int Fail()
{
    Console.Error.WriteLine(Usage);
    return 2;
}
