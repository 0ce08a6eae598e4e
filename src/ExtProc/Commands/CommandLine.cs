using AiSidecar.ExtProc.Hosting;

namespace AiSidecar.ExtProc.Commands;

/// <summary>Option parsing and service setup shared by the server's commands (<c>route</c>, <c>check</c>, <c>validate</c>).</summary>
internal static class CommandLine
{
    /// <summary>The value of <c>--name V</c> or <c>--name=V</c>, or null.</summary>
    public static string? Option(IReadOnlyList<string> args, string name) => Options(args, name).LastOrDefault();

    /// <summary>Every value given for a repeatable option.</summary>
    public static List<string> Options(IReadOnlyList<string> args, string name)
    {
        var values = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == name && i + 1 < args.Count)
            {
                values.Add(args[++i]);
            }
            else if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                values.Add(args[i][(name.Length + 1)..]);
            }
        }

        return values;
    }

    /// <summary>The configuration the server would read: the file (or the embedded default), then <c>EXTPROC_</c> variables.</summary>
    public static IConfiguration Configuration(string? path)
    {
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            builder.AddYamlFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
        }
        else
        {
            builder.AddYamlStream(ConfigFile.OpenDefault());
        }

        return builder.AddEnvironmentVariables(ExtProcApplication.EnvironmentPrefix).Build();
    }

    /// <summary>The pipeline and routing as the server builds them, on <paramref name="configuration"/>; warnings go to stderr.</summary>
    public static ServiceProvider Services(IConfiguration configuration)
    {
        var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging(l => l.AddSimpleConsole().AddFilter(level => level >= LogLevel.Warning)
                .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddInferencePipeline();
        return services.BuildServiceProvider();
    }

    /// <summary>The services on the config at <paramref name="path"/>, or null after telling why they cannot be built.</summary>
    public static async Task<ServiceProvider?> TryServicesAsync(string command, string? path, TextWriter error)
    {
        ServiceProvider? services = null;
        try
        {
            services = Services(Configuration(path));
            _ = services.GetRequiredService<Routing.Reload.IRoutingTableSource>().Current;
            return services;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await error.WriteLineAsync($"{command}: the config is invalid (run validate): {string.Join(" | ", ex.Failures)}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or InvalidDataException or FormatException)
        {
            await error.WriteLineAsync($"{command}: the config cannot be read (run validate): {ex.Message}").ConfigureAwait(false);
        }

        if (services is not null)
        {
            await services.DisposeAsync().ConfigureAwait(false);
        }

        return null;
    }
}
