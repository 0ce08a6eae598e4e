using System.Text.Json;
using AiSidecar.ExtProc.Errors;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>
/// Parses request bodies with <see cref="JsonDocument"/> (pooled buffers, UTF-8 validated), within the
/// <see cref="InspectionOptions"/> item limits.
/// </summary>
internal sealed class RequestInspector : IRequestInspector
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
    private readonly InspectionOptions _limits;

    /// <summary>An inspector with the default limits.</summary>
    public RequestInspector()
        : this(Options.Create(new InspectionOptions()))
    {
    }

    public RequestInspector(IOptions<InspectionOptions> options) => _limits = options.Value;

    public InferenceRequest Inspect(ApiKind kind, ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        try
        {
            return Read(kind, document.RootElement, new ItemLimits(_limits, kind == ApiKind.Responses ? "input" : "messages"));
        }
        catch (InvalidOperationException)
        {
            // JsonDocument checks string contents lazily: invalid UTF-8 or an unpaired surrogate escape surfaces here.
            throw new InspectionException(ApiErrors.InvalidJson("a string holds invalid UTF-8 or an unpaired surrogate."));
        }
    }

    private static InferenceRequest Read(ApiKind kind, JsonElement root, ItemLimits limits)
    {
        JsonFields.RequireKind(root, JsonValueKind.Object, "body", "a JSON object");

        var texts = new List<string>();
        var pretokenized = 0;
        IReadOnlyList<ChatMessage> messages = [];
        switch (kind)
        {
            case ApiKind.ChatCompletions:
                messages = ChatMessageReader.ReadAll(JsonFields.Require(root, "messages"), "messages", limits);
                break;
            case ApiKind.Completions:
                pretokenized = PromptReader.Read(JsonFields.Require(root, "prompt"), "prompt", texts, limits);
                break;
            case ApiKind.Embeddings:
                pretokenized = PromptReader.Read(JsonFields.Require(root, "input"), "input", texts, limits);
                break;
            case ApiKind.Responses:
                messages = ResponsesInputReader.Read(root, texts, limits);
                break;
            case ApiKind.Rerank:
                RerankReader.Read(root, texts, limits);
                break;
        }

        return new InferenceRequest
        {
            Kind = kind,
            Model = ReadModel(root),
            Messages = messages,
            Tools = kind == ApiKind.ChatCompletions ? ChatTemplateFields.Tools(root, limits) : [],
            ChatTemplateArgs = kind == ApiKind.ChatCompletions ? ChatTemplateFields.TemplateArgs(root) : null,
            Texts = texts,
            PretokenizedTokens = pretokenized,
            MaxTokens = JsonFields.OptionalCount(root, "max_completion_tokens")
                ?? JsonFields.OptionalCount(root, "max_tokens")
                ?? JsonFields.OptionalCount(root, "max_output_tokens"),
            Stream = JsonFields.OptionalBool(root, "stream"),
            User = JsonFields.OptionalString(root, "user", "user"),
        };
    }

    /// <summary>
    /// The model name, refused unless <see cref="ModelNameSyntax.IsValid"/>: a name that differs from a catalogue name
    /// only by whitespace or invisible characters is a client bug, never matched loosely, and a name outside the
    /// catalogue is forwarded in the model header as sent.
    /// </summary>
    private static string? ReadModel(JsonElement root)
    {
        var model = JsonFields.OptionalString(root, "model", "model");
        if (model is not null && !ModelNameSyntax.IsValid(model))
        {
            throw JsonFields.Invalid("model", ModelNameSyntax.Rule);
        }

        return model;
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            // The parser's message names the position only, never the body's content.
            throw new InspectionException(ApiErrors.InvalidJson(ex.Message));
        }
    }
}
