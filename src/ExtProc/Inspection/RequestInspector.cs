using System.Text.Json;
using AiSidecar.ExtProc.Errors;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Parses request bodies with <see cref="JsonDocument"/> (pooled buffers, UTF-8 validated).</summary>
internal sealed class RequestInspector : IRequestInspector
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public InferenceRequest Inspect(ApiKind kind, ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        try
        {
            return Read(kind, document.RootElement);
        }
        catch (InvalidOperationException)
        {
            // JsonDocument checks string contents lazily: invalid UTF-8 or an unpaired surrogate escape surfaces here.
            throw new InspectionException(ApiErrors.InvalidJson("a string holds invalid UTF-8 or an unpaired surrogate."));
        }
    }

    private static InferenceRequest Read(ApiKind kind, JsonElement root)
    {
        JsonFields.RequireKind(root, JsonValueKind.Object, "body", "a JSON object");

        var texts = new List<string>();
        var pretokenized = 0;
        IReadOnlyList<ChatMessage> messages = [];
        switch (kind)
        {
            case ApiKind.ChatCompletions:
                messages = ChatMessageReader.ReadAll(JsonFields.Require(root, "messages"), "messages");
                break;
            case ApiKind.Completions:
                pretokenized = PromptReader.Read(JsonFields.Require(root, "prompt"), "prompt", texts);
                break;
            case ApiKind.Embeddings:
                pretokenized = PromptReader.Read(JsonFields.Require(root, "input"), "input", texts);
                break;
            case ApiKind.Responses:
                messages = ResponsesInputReader.Read(root, texts);
                break;
            case ApiKind.Rerank:
                RerankReader.Read(root, texts);
                break;
        }

        return new InferenceRequest
        {
            Kind = kind,
            Model = ReadModel(root),
            Messages = messages,
            Tools = kind == ApiKind.ChatCompletions ? ChatTemplateFields.Tools(root) : [],
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

    private static string? ReadModel(JsonElement root)
    {
        // The model is echoed in a header: Envoy answers 500 to control characters or oversized values.
        var model = JsonFields.OptionalString(root, "model", "model");
        if (model is not null && (model.Length is 0 or > 256 || model.Any(char.IsControl)))
        {
            throw JsonFields.Invalid("model", "a model name of 1 to 256 characters without control characters");
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
