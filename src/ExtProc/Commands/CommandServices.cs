using AiSidecar.ExtProc.Configuration;

namespace AiSidecar.ExtProc.Commands;

/// <summary>What the commands share: loading the config as the server would, reading input files, building the decision services.</summary>
internal static class CommandServices
{
    /// <summary>The checked config, or null after printing each problem to <paramref name="error"/>.</summary>
    public static async Task<LoadedConfig?> LoadConfigAsync(string command, string? configOption, IReadOnlyList<string> overrides, TextWriter error)
    {
        var sources = new ConfigSources(ConfigFile.Locate(configOption), overrides);
        if (ConfigLoader.TryLoad(sources, out var loaded, out var errors))
        {
            return loaded;
        }

        foreach (var line in errors)
        {
            await error.WriteLineAsync(line).ConfigureAwait(false);
        }

        await error.WriteLineAsync($"{command}: the config has {errors.Count} error(s); nothing was run.").ConfigureAwait(false);
        return null;
    }

    /// <summary>The decision services over <paramref name="loaded"/>, as the server builds them; warnings go to stderr.</summary>
    /// <param name="loaded">The checked config.</param>
    /// <param name="configure">Replaces services (<c>route --load</c>: the pools' load from a file).</param>
    public static ServiceProvider Build(LoadedConfig loaded, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection()
            .AddLogging(l => l.AddSimpleConsole().AddFilter(level => level >= LogLevel.Warning)
                .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        configure?.Invoke(services);
        services.AddExtProcCore(loaded);
        return services.BuildServiceProvider();
    }

    /// <summary>The file's bytes (<c>-</c>: standard input), or null after one line on <paramref name="error"/> saying why not.</summary>
    public static async Task<byte[]?> ReadFileAsync(string command, string path, TextWriter error)
    {
        try
        {
            if (path == "-")
            {
                using var buffer = new MemoryStream();
                await Console.OpenStandardInput().CopyToAsync(buffer).ConfigureAwait(false);
                return buffer.ToArray();
            }

            return await File.ReadAllBytesAsync(path).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message;
            await error.WriteLineAsync($"{command}: {path}: {reason}").ConfigureAwait(false);
            return null;
        }
    }
}
