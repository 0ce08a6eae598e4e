using System.Text.Json;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// <c>ExtProc route --request FILE [--path P] [--header name:value]… [--method M] [--config FILE]</c>: prints the
/// full decision for one request as JSON (model, version, variant, pool, tokens, headers set, rewrites, or the
/// error response), like Envoy's router_check_tool for one route.
/// </summary>
internal static class RouteCommand
{
    public const string Name = "route";

    private const string Usage = "usage: route --request FILE|- [--path /v1/...] [--header name:value]... [--method POST] [--config FILE]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var file = CommandLine.Option(args, "--request");
        if (file is null)
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        try
        {
            var body = file == "-" ? await ReadStdinAsync().ConfigureAwait(false) : await File.ReadAllBytesAsync(file).ConfigureAwait(false);
            var request = new RouteRequest(
                CommandLine.Option(args, "--method") ?? "POST",
                CommandLine.Option(args, "--path") ?? RouteRequest.GuessPath(body),
                RouteRequest.ParseHeaders(CommandLine.Options(args, "--header")),
                body);
            using var services = await CommandLine.TryServicesAsync(Name, Hosting.ConfigFile.Locate(args), error).ConfigureAwait(false);
            if (services is null)
            {
                return 2;
            }

            var report = RouteEvaluator.Evaluate(services, request);
            await output.WriteLineAsync(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or YamlDotNet.Core.YamlException or JsonException)
        {
            await error.WriteLineAsync($"route: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task<byte[]> ReadStdinAsync()
    {
        using var buffer = new MemoryStream();
        await Console.OpenStandardInput().CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
