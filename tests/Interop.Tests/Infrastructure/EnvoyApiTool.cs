using System.Diagnostics;

namespace AiSidecar.Interop.Tests.Infrastructure;

/// <summary>Runs the Node scripts in tools/envoy-api: envoy-api.mjs, validate-manifests.mjs.</summary>
internal static class EnvoyApiTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs envoy-api.mjs.</summary>
    public static Task<NodeResult> RunAsync(IEnumerable<string> args, string? stdin = null) =>
        RunScriptAsync("envoy-api.mjs", args, stdin);

    /// <summary>Runs a script of tools/envoy-api with Node.</summary>
    public static async Task<NodeResult> RunScriptAsync(string script, IEnumerable<string> args, string? stdin = null)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.EnvoyApiToolDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(RepoPaths.EnvoyApiToolDir, script));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? string.Empty);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        return new NodeResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Validates Envoy YAML files strictly against Envoy's API.</summary>
    public static Task<NodeResult> ValidateAsync(params string[] files) =>
        RunAsync(["validate", "--descriptors", RepoPaths.ConfigDescriptorSet, .. files]);
}
