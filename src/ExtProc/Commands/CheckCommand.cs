using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using AiSidecar.ExtProc.Configuration;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// <c>ExtProc check --cases FILE</c>: runs every case of a YAML cases file through the decision and exits 1 when any
/// decision differs from what the case expects. The cases file may name its config (<c>config:</c>, relative to the
/// cases file); <c>--config</c> wins.
/// </summary>
internal static class CheckCommand
{
    public const string Name = "check";

    public static Command Create(Option<string?> config, string[] overrides, TextWriter output, TextWriter error)
    {
        var casesOption = new Option<string>("--cases") { Description = "The cases file (YAML): requests and the decision fields each must produce.", HelpName = "FILE", Required = true };
        var command = new Command(Name, "Checks a file of requests against their expected decisions; exits 1 on any mismatch.") { casesOption };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(casesOption)!, parse.GetValue(config), overrides, output, error));
        return command;
    }

    private static async Task<int> RunAsync(string casesPath, string? configOption, string[] overrides, TextWriter output, TextWriter error)
    {
        if (await CommandServices.ReadFileAsync(Name, casesPath, error).ConfigureAwait(false) is not { } text)
        {
            return ExitCodes.Usage;
        }

        List<RouteCase> cases;
        string? configPath;
        try
        {
            var root = YamlJson.Parse(Encoding.UTF8.GetString(text)) as JsonObject
                ?? throw new ArgumentException("the cases file must be a mapping with 'cases'.");
            configPath = configOption
                ?? (ConfigFile.Locate(null) is null && root["config"]?.GetValue<string>() is { } relative
                    ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(casesPath))!, relative)
                    : null);
            cases = [.. (root["cases"] as JsonArray ?? []).Select((c, i) => RouteCase.From(c as JsonObject ?? [], i))];
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or YamlDotNet.Core.YamlException or FormatException)
        {
            await error.WriteLineAsync($"{Name}: {casesPath}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (await CommandServices.LoadConfigAsync(Name, configPath, overrides, error).ConfigureAwait(false) is not { } loaded)
        {
            return ExitCodes.InvalidConfig;
        }

        using var services = CommandServices.Build(loaded);
        var failed = 0;
        foreach (var routeCase in cases)
        {
            var report = await RouteEvaluator.EvaluateAsync(services, routeCase.Request).ConfigureAwait(false);
            var mismatches = RouteExpectations.Mismatches(routeCase.Expect, report);
            failed += mismatches.Count > 0 ? 1 : 0;
            await output.WriteLineAsync(mismatches.Count == 0 ? $"ok   {routeCase.Name}" : $"FAIL {routeCase.Name}").ConfigureAwait(false);
            foreach (var mismatch in mismatches)
            {
                await output.WriteLineAsync($"     {mismatch}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"{cases.Count} cases: {cases.Count - failed} as expected, {failed} mismatched").ConfigureAwait(false);
        return failed > 0 || cases.Count == 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
