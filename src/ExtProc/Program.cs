using AiSidecar.ExtProc.Commands;
using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Tokenization;

switch (args.Length > 0 ? args[0] : "")
{
    case TokensCommand.Name:
        return await TokensCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
    case RouteCommand.Name:
        return await RouteCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
    case CheckCommand.Name:
        return await CheckCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
    case ValidateCommand.Name:
        return await ValidateCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
}

var app = ExtProcApplication.Build(args);
await app.RunAsync().ConfigureAwait(false);
return 0;
