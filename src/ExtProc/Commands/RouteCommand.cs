using System.CommandLine;
using System.Text.Json;
using AiSidecar.ExtProc.Admission;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// <c>ExtProc route --request FILE [--path P] [--header name:value]… [--method M] [--load FILE]</c>: prints the full
/// decision for one request as JSON (model, version, variant, pool, tokens, headers set, rewrites, admission with its
/// inputs, or the local answer), like Envoy's router_check_tool for one route. Admission judges monitored pools on the
/// load in <c>--load</c> (<see cref="Admission.PoolLoadSnapshot"/>); without it they have no telemetry yet, as at the
/// server's start.
/// </summary>
internal static class RouteCommand
{
    public const string Name = "route";

    public static Command Create(Option<string?> config, string[] overrides, TextWriter output, TextWriter error)
    {
        var request = new Option<string>("--request") { Description = "The request body (JSON), or - for standard input.", HelpName = "FILE", Required = true };
        var path = new Option<string?>("--path") { Description = "The request's :path (default: guessed from the body's fields).", HelpName = "PATH" };
        var method = new Option<string>("--method") { Description = "The request's method.", DefaultValueFactory = _ => "POST" };
        var header = new Option<string[]>("--header") { Description = "A request header, repeatable.", HelpName = "NAME:VALUE", AllowMultipleArgumentsPerToken = false };
        var load = new Option<string?>("--load") { Description = "The pools' load (JSON or YAML: endpoints, GPUs) admission judges on.", HelpName = "FILE" };
        var command = new Command(Name, "Prints the decision for one request as JSON: what Envoy would be told.") { request, path, method, header, load };
        command.SetAction(async (parse, _) =>
        {
            if (await CommandServices.ReadFileAsync(Name, parse.GetValue(request)!, error).ConfigureAwait(false) is not { } body)
            {
                return ExitCodes.Usage;
            }

            List<KeyValuePair<string, string>> headers;
            try
            {
                headers = RouteRequest.ParseHeaders(parse.GetValue(header) ?? []);
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"{Name}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (await CommandServices.LoadConfigAsync(Name, parse.GetValue(config), overrides, error).ConfigureAwait(false) is not { } loaded)
            {
                return ExitCodes.InvalidConfig;
            }

            PoolLoadSnapshot? snapshot = null;
            var clock = new SnapshotClock(TimeProvider.System.GetUtcNow());
            if (parse.GetValue(load) is { } loadPath)
            {
                if (await CommandServices.ReadFileAsync(Name, loadPath, error).ConfigureAwait(false) is not { } text)
                {
                    return ExitCodes.Usage;
                }

                try
                {
                    snapshot = PoolLoadSnapshot.Parse(YamlJson.Parse(System.Text.Encoding.UTF8.GetString(text))?.ToJsonString() ?? "null", clock);
                }
                catch (Exception ex) when (ex is JsonException or YamlDotNet.Core.YamlException)
                {
                    await error.WriteLineAsync($"{Name}: {loadPath}: not a load snapshot: {ex.Message}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }

            using var services = CommandServices.Build(loaded, s =>
            {
                if (snapshot is not null)
                {
                    s.AddSingleton<IPoolLoadSource>(snapshot).AddSingleton<TimeProvider>(clock);
                }
            });
            var routed = new RouteRequest(parse.GetValue(method)!, parse.GetValue(path) ?? RouteRequest.GuessPath(body), headers, body);
            var report = await RouteEvaluator.EvaluateAsync(services, routed).ConfigureAwait(false);
            await output.WriteLineAsync(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The system clock with the wall time fixed at the command's start: the snapshot's ages are read exactly as written.</summary>
    private sealed class SnapshotClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
