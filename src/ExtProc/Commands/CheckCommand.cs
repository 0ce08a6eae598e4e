using System.Text.Json.Nodes;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// <c>ExtProc check --cases FILE [--config FILE]</c>: runs every case of a YAML cases file through the decision and
/// exits 1 when any decision differs from what the case expects (2 when the files cannot be read). The cases file
/// may name its config (<c>config:</c>, relative to the cases file); <c>--config</c> wins.
/// </summary>
internal static class CheckCommand
{
    public const string Name = "check";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var casesPath = CommandLine.Option(args, "--cases");
        if (casesPath is null)
        {
            await error.WriteLineAsync("usage: check --cases FILE [--config FILE]").ConfigureAwait(false);
            return 2;
        }

        List<RouteCase> cases;
        string? configPath;
        try
        {
            var root = YamlJson.Parse(await File.ReadAllTextAsync(casesPath).ConfigureAwait(false)) as JsonObject
                ?? throw new ArgumentException("the cases file must be a mapping with 'cases'.");
            configPath = Hosting.ConfigFile.Locate(args)
                ?? (root["config"]?.GetValue<string>() is { } relative ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(casesPath))!, relative) : null);
            cases = [.. (root["cases"] as JsonArray ?? []).Select((c, i) => RouteCase.From(c as JsonObject ?? [], i))];
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or YamlDotNet.Core.YamlException)
        {
            await error.WriteLineAsync($"check: {casesPath}: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        using var services = await CommandLine.TryServicesAsync(Name, configPath, error).ConfigureAwait(false);
        if (services is null)
        {
            return 2;
        }

        var failed = 0;
        foreach (var routeCase in cases)
        {
            var mismatches = RouteExpectations.Mismatches(routeCase.Expect, RouteEvaluator.Evaluate(services, routeCase.Request));
            failed += mismatches.Count > 0 ? 1 : 0;
            await output.WriteLineAsync(mismatches.Count == 0 ? $"ok   {routeCase.Name}" : $"FAIL {routeCase.Name}").ConfigureAwait(false);
            foreach (var mismatch in mismatches)
            {
                await output.WriteLineAsync($"     {mismatch}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"{cases.Count} cases: {cases.Count - failed} as expected, {failed} mismatched").ConfigureAwait(false);
        return failed > 0 || cases.Count == 0 ? 1 : 0;
    }
}
