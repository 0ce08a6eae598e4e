using AiSidecar.Configuration;

namespace AiSidecar.GpuAgent.Hosting;

/// <summary>
/// Where the agent's configuration comes from and how it is checked: <c>appsettings.json</c>, then
/// <c>appsettings.{Environment}.json</c>, then environment variables under <c>GpuAgent__</c> and <c>Logging__</c>, then
/// the command line; only the <c>GpuAgent</c> and <c>Logging</c> sections are allowed, every key checked strictly.
/// </summary>
internal static class AgentConfiguration
{
    /// <summary>
    /// The only top-level keys. ASP.NET Core host keys (<c>urls</c>, <c>Kestrel</c>, <c>AllowedHosts</c>, ...) are refused:
    /// the listeners come from <c>GpuAgent</c> and nothing else reads them.
    /// </summary>
    public static readonly string[] Sections = [AgentOptions.SectionName, LoggingConfigChecker.SectionName];

    /// <summary>
    /// A web application builder whose configuration has the agent's sources only; a file that cannot be read throws
    /// <see cref="InvalidConfigurationException"/> with one line naming the file (and line and column when known).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(WebApplicationOptions options)
    {
        try
        {
            // The default builder already reads appsettings.json, so a malformed file fails here.
            var builder = WebApplication.CreateBuilder(options);
            Load(builder.Configuration, builder.Environment, options.Args ?? []);
            return builder;
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            throw new InvalidConfigurationException([ConfigurationFileException.Describe(ex)]);
        }
    }

    /// <summary>The agent's options, or null with <paramref name="issues"/> saying what is wrong.</summary>
    public static AgentOptions? Read(IConfiguration configuration, ICollection<ConfigIssue> issues)
    {
        var before = issues.Count;
        ConfigShapeChecker.CheckSections(configuration, Sections, issues);
        LoggingConfigChecker.Check(configuration, issues);
        var options = StrictBinder.Bind<AgentOptions>(configuration, AgentOptions.SectionName, issues);
        if (options is null || issues.Count > before)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(options.NodeName))
        {
            options.NodeName = Environment.MachineName;
        }

        return options;
    }

    /// <summary>The agent's options; throws <see cref="InvalidConfigurationException"/> with one located line per issue.</summary>
    public static AgentOptions ReadOrThrow(IConfiguration configuration)
    {
        var issues = new List<ConfigIssue>();
        return Read(configuration, issues)
            ?? throw new InvalidConfigurationException(configuration is IConfigurationRoot root
                ? ConfigIssueLocator.Format(root, issues)
                : [.. issues.Select(i => i.ToString())]);
    }

    /// <summary>Replaces the sources of <paramref name="configuration"/> with the agent's.</summary>
    private static void Load(ConfigurationManager configuration, IHostEnvironment environment, string[] args)
    {
        // The host defaults read every environment variable as a key and watch the files for changes; the agent
        // reads its options once, so a changed file would go unnoticed until a restart anyway.
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(environment.ContentRootPath, "appsettings.json"), optional: true, reloadOnChange: false);
        configuration.AddJsonFile(Path.Combine(environment.ContentRootPath, $"appsettings.{environment.EnvironmentName}.json"), optional: true, reloadOnChange: false);
        configuration.AddLocatedEnvironmentVariables(prefix: string.Empty, sections: Sections);
        configuration.AddCommandLine(args);
    }
}
