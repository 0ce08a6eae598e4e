using AiSidecar.ExtProc.Commands;

return await ExtProcCommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
