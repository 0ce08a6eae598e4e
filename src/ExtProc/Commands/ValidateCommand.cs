using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Reload;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// <c>ExtProc validate [--config FILE]</c>: checks a config file the way the server does at start (and on every
/// routing reload) and prints each error as <c>FILE:LINE:COLUMN: key.path: what is wrong</c>; exits 1 on any error.
/// </summary>
internal static partial class ValidateCommand
{
    public const string Name = "validate";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var path = ConfigFile.Locate(args);
        var label = path ?? "(embedded default)";
        string text;
        try
        {
            text = path is null ? await new StreamReader(ConfigFile.OpenDefault()).ReadToEndAsync().ConfigureAwait(false) : await File.ReadAllTextAsync(path).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"{label}: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            await output.WriteLineAsync($"{label}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var root = yaml.Documents.Count > 0 ? yaml.Documents[0].RootNode : null;
        var errors = Errors(CommandLine.Configuration(path));
        foreach (var message in errors)
        {
            var at = YamlLocator.PathOf(message) is { } key && YamlLocator.Locate(root, key) is { } location ? $"{label}:{location}" : label;
            await output.WriteLineAsync($"{at}: {message}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(errors.Count == 0 ? $"{label}: valid" : $"{label}: {errors.Count} error(s)").ConfigureAwait(false);
        return errors.Count == 0 ? 0 : 1;
    }

    /// <summary>Every error the server would stop on, each starting with its key path where it has one.</summary>
    public static List<string> Errors(IConfiguration configuration)
    {
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateDataAnnotations();
        services.AddExtProcProtocol().AddInferencePipeline();
        using var provider = services.BuildServiceProvider();
        var errors = new List<string>();
        Collect<ServerOptions>(provider, ServerOptions.SectionName, errors);
        Collect<ProcessingOptions>(provider, ProcessingOptions.SectionName, errors);
        Collect<TokenizationOptions>(provider, TokenizationOptions.SectionName, errors);
        Collect<RoutingOptions>(provider, RoutingOptions.SectionName, errors);
        return errors;
    }

    private static void Collect<T>(IServiceProvider provider, string section, List<string> errors)
        where T : class
    {
        try
        {
            _ = provider.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            errors.AddRange(ex.Failures.Select(f => YamlLocator.PathOf(f) is null ? WithMember(section, f) : f));
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(RoutingConfigReader.DottedPaths(ex.Message));
        }
    }

    /// <summary>Data-annotation messages name the C# member: prefix its key path.</summary>
    private static string WithMember(string section, string failure) =>
        Member().Match(failure) is { Success: true } m
            ? $"{section}.{char.ToLowerInvariant(m.Groups[1].Value[0])}{m.Groups[1].Value[1..]}: {failure}"
            : $"{section}: {failure}";

    [GeneratedRegex("members: '(\\w+)'")]
    private static partial Regex Member();
}
