using System.CommandLine;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// <c>ExtProc tokens --request FILE [--model M] [--version V] [--api chat|completions|embeddings|responses|rerank]</c>:
/// prints the prompt token count and the rendered prompt with the tokenizer the catalogue gives the model (or
/// version), so an operator can check a count by hand.
/// </summary>
internal static class TokensCommand
{
    public const string Name = "tokens";

    public static Command Create(Option<string?> config, string[] overrides, TextWriter output, TextWriter error)
    {
        var request = new Option<string>("--request") { Description = "The request body (JSON), or - for standard input.", HelpName = "FILE", Required = true };
        var model = new Option<string?>("--model") { Description = "The model whose tokenizer counts (default: the body's model).", HelpName = "NAME" };
        var version = new Option<string?>("--version") { Description = "The model's version whose tokenizer counts (default: the primary version).", HelpName = "NAME" };
        var api = new Option<string?>("--api") { Description = "The API the body is for (default: guessed from its fields).", HelpName = "API" };
        api.AcceptOnlyFromAmong("chat", "completions", "embeddings", "responses", "rerank");
        var command = new Command(Name, "Counts a request's prompt tokens with its model's tokenizer and chat template, and prints the rendered prompt.")
        {
            request, model, version, api,
        };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(config), overrides, parse.GetValue(request)!, parse.GetValue(model), parse.GetValue(version), parse.GetValue(api), output, error));
        return command;
    }

    private static async Task<int> RunAsync(string? configOption, string[] overrides, string file, string? modelName, string? versionName, string? api, TextWriter output, TextWriter error)
    {
        if (await CommandServices.ReadFileAsync(Name, file, error).ConfigureAwait(false) is not { } body)
        {
            return ExitCodes.Usage;
        }

        if (await CommandServices.LoadConfigAsync(Name, configOption, overrides, error).ConfigureAwait(false) is not { } loaded)
        {
            return ExitCodes.InvalidConfig;
        }

        using var provider = CommandServices.Build(loaded);
        InferenceRequest request;
        try
        {
            request = provider.GetRequiredService<IRequestInspector>().Inspect(ApiFor(api, body), body);
        }
        catch (InspectionException ex)
        {
            await error.WriteLineAsync($"{Name}: invalid request: {ex.Error.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        modelName ??= request.Model;
        var catalog = provider.GetRequiredService<IRoutingTableSource>().Current.Catalog;
        var model = catalog.Find(modelName);
        var version = versionName is null ? model?.Primary : model?.Versions.FirstOrDefault(v => v.Name == versionName);
        if (versionName is not null && version is null)
        {
            await error.WriteLineAsync($"{Name}: '{versionName}' is not a version of '{modelName}'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var tokenizer = version?.Tokenizer ?? model?.Tokenizer ?? catalog.DefaultTokenizer;
        PromptCounter counter;
        try
        {
            counter = tokenizer.Resolve();
        }
        catch (TokenizerUnavailableException ex)
        {
            await error.WriteLineAsync($"{Name}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        var count = counter.Count(version is null ? request : request with { Model = version.ServedModel });
        await output.WriteLineAsync($"model: {model?.Name ?? modelName ?? "(none)"}{(version is null ? "" : $" (version {version.Name})")}").ConfigureAwait(false);
        await output.WriteLineAsync($"tokenizer: {counter.Tokenizer.Name}").ConfigureAwait(false);
        await output.WriteLineAsync($"template: {counter.Format.Family}").ConfigureAwait(false);
        await output.WriteLineAsync($"non-text parts: {request.NonTextParts} ({loaded.Config.Tokenization.NonTextPartTokens} tokens each)").ConfigureAwait(false);
        await output.WriteLineAsync($"prompt tokens: {count.Tokens}{(count.Exact ? "" : " (an upper bound: a pre-token was longer than tokenization.maxMergeBytes, see docs/tokenization.md)")}").ConfigureAwait(false);
        await output.WriteLineAsync("--- rendered prompt ---").ConfigureAwait(false);
        await output.WriteLineAsync(counter.Render(request)).ConfigureAwait(false);
        return ExitCodes.Ok;
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

    private static ApiKind Guess(byte[] body) =>
        RouteRequest.GuessPath(body) switch
        {
            "/v1/completions" => ApiKind.Completions,
            "/v1/rerank" => ApiKind.Rerank,
            "/v1/embeddings" => ApiKind.Embeddings,
            _ => ApiKind.ChatCompletions,
        };
}
