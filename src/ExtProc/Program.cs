using AiSidecar.ExtProc.Hosting;

var app = ExtProcApplication.Build(args);
await app.RunAsync().ConfigureAwait(false);
