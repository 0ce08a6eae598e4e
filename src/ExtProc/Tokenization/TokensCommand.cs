using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Inspection;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// <c>ExtProc tokens --model M --request FILE [--api chat|completions|embeddings|responses|rerank] [--config FILE]</c>:
/// prints the prompt token count and the rendered prompt, so an operator can check a count by hand.
/// </summary>
internal static class TokensCommand
{
    public const string Name = "tokens";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var model = Option(args, "--model");
        var file = Option(args, "--request");
        if (file is null)
        {
            await error.WriteLineAsync("usage: tokens --model M --request FILE [--api chat|completions|embeddings|responses|rerank] [--config FILE]").ConfigureAwait(false);
            return 2;
        }

        var body = await File.ReadAllBytesAsync(file).ConfigureAwait(false);
        using var provider = BuildServices(args);
        var registry = provider.GetRequiredService<TokenizerRegistry>();
        InferenceRequest request;
        try
        {
            request = new RequestInspector().Inspect(ApiFor(Option(args, "--api"), body), body);
        }
        catch (InspectionException ex)
        {
            await error.WriteLineAsync($"invalid request: {ex.Error.Message}").ConfigureAwait(false);
            return 1;
        }

        model ??= request.Model;
        var counter = registry.Resolve(model);
        var count = counter.Count(request);
        await output.WriteLineAsync($"model: {model ?? "(none)"}").ConfigureAwait(false);
        await output.WriteLineAsync($"tokenizer: {counter.Tokenizer.Name}").ConfigureAwait(false);
        await output.WriteLineAsync($"template: {counter.Format.Family}").ConfigureAwait(false);
        await output.WriteLineAsync($"non-text parts: {request.NonTextParts} ({provider.GetRequiredService<IOptions<TokenizationOptions>>().Value.NonTextPartTokens} tokens each)").ConfigureAwait(false);
        await output.WriteLineAsync($"prompt tokens: {count}").ConfigureAwait(false);
        await output.WriteLineAsync("--- rendered prompt ---").ConfigureAwait(false);
        await output.WriteLineAsync(counter.Render(request)).ConfigureAwait(false);
        return 0;
    }

    private static ServiceProvider BuildServices(string[] args)
    {
        var configuration = new ConfigurationBuilder();
        if (ConfigFile.Locate(args) is { } path)
        {
            configuration.AddYamlFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
        }
        else
        {
            configuration.AddYamlStream(ConfigFile.OpenDefault());
        }

        configuration.AddEnvironmentVariables("EXTPROC_");
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration.Build())
            .AddLogging(l => l.AddSimpleConsole().AddFilter(level => level >= LogLevel.Warning).Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddTokenization();
        return services.BuildServiceProvider();
    }

    private static ApiKind ApiFor(string? api, byte[] body) => api switch
    {
        "chat" => ApiKind.ChatCompletions,
        "completions" => ApiKind.Completions,
        "embeddings" => ApiKind.Embeddings,
        "responses" => ApiKind.Responses,
        "rerank" => ApiKind.Rerank,
        _ => Guess(body),
    };

    private static ApiKind Guess(byte[] body)
    {
        using var document = System.Text.Json.JsonDocument.Parse(body);
        var root = document.RootElement;
        return root.TryGetProperty("messages", out _) ? ApiKind.ChatCompletions
            : root.TryGetProperty("prompt", out _) ? ApiKind.Completions
            : root.TryGetProperty("query", out _) ? ApiKind.Rerank
            : ApiKind.Responses;
    }

    private static string? Option(string[] args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                return args[i][(name.Length + 1)..];
            }
        }

        return null;
    }
}
