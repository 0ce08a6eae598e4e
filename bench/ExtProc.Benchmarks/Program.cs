using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ExtProc.Benchmarks -- --filter '*' [--job short|dry]
BenchmarkSwitcher.FromAssembly(typeof(AiSidecar.ExtProc.Benchmarks.BodyCase).Assembly).Run(args);
