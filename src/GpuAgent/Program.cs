using AiSidecar.GpuAgent.Hosting;

var app = GpuAgentApplication.Build(args);
await app.RunAsync().ConfigureAwait(false);
