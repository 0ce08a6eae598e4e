using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Tokenization;

if (args.Length > 0 && args[0] == TokensCommand.Name)
{
    return await TokensCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
}

var app = ExtProcApplication.Build(args);
await app.RunAsync().ConfigureAwait(false);
return 0;
