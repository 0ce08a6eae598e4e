using AiSidecar.GpuAgent.Hosting;

return await GpuAgentApplication.RunAsync(args, Console.Error).ConfigureAwait(false);
