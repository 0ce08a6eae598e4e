using System.Text.Json;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Rewrite;

/// <summary>
/// Converts a <c>/v1/completions</c> request into a <c>/v1/chat/completions</c> one: the one text prompt becomes one
/// user message, <c>model</c> becomes the served name, <c>logprobs: n</c> becomes <c>logprobs: true, top_logprobs: n</c>,
/// every other field is carried over unchanged. What chat cannot express is refused with a 400: token-id prompts,
/// several prompts (chat holds one conversation), <c>suffix</c> and <c>echo: true</c>; so are <c>messages</c> and
/// <c>top_logprobs</c>, which the conversion writes itself: a client's copy would reach the model server beside it and
/// could be the one it reads, uncounted. A field written twice is read as inspection reads it: the last one.
/// </summary>
internal static class CompletionsToChat
{
    public const string ChatPath = "/v1/chat/completions";

    private static readonly byte[] ModelName = "\"model\":"u8.ToArray();
    private static readonly byte[] MessagesStart = "\"messages\":[{\"role\":\"user\",\"content\":"u8.ToArray();
    private static readonly byte[] MessagesEnd = "}]"u8.ToArray();
    private static readonly byte[] LogprobsTrue = "\"logprobs\":true"u8.ToArray();
    private static readonly byte[] TopLogprobs = "\"top_logprobs\":"u8.ToArray();

    /// <summary>Why the inspected request cannot be converted; null when it can.</summary>
    public static ApiError? Check(InferenceRequest request) =>
        request.PretokenizedTokens > 0 ? ApiErrors.InvalidField("prompt", "a text prompt: token-id prompts cannot be converted to a chat request")
        : request.Texts.Count != 1 ? ApiErrors.InvalidField("prompt", "one text prompt: a chat request holds one conversation")
        : null;

    /// <summary>The request as the chat model reads it, for token counting.</summary>
    public static InferenceRequest AsChat(InferenceRequest request) => request with
    {
        Kind = ApiKind.ChatCompletions,
        Messages = [new ChatMessage("user", null, [request.Texts[0]], 0) { Content = request.Texts[0] }],
        Texts = [],
    };

    /// <summary>The chat path, keeping the query string.</summary>
    public static string Path(string? path)
    {
        var query = path?.IndexOfAny(['?', '#']) ?? -1;
        return query < 0 ? ChatPath : string.Concat(ChatPath, path.AsSpan(query));
    }

    /// <summary>Writes the chat body; raises an <see cref="InspectionException"/> for fields chat cannot carry.</summary>
    /// <param name="body">The completions body, a JSON object inspection already parsed.</param>
    /// <param name="model">The served model name; null when the request named none (none is written).</param>
    public static ReadOnlyMemory<byte> Convert(ReadOnlyMemory<byte> body, string? model)
    {
        var json = RewriteJson.WithoutBom(body.Span);
        var properties = TopLevelProperty.Read(json);
        var prompt = properties.FindLastIndex(p => p.Field == RewriteField.Prompt);
        var logprobs = properties.FindLastIndex(p => p.Field == RewriteField.Logprobs);
        var output = RewriteJson.Start(json.Length + (model?.Length ?? 0) + 48);
        if (model is not null)
        {
            output.Member(ModelName, RewriteJson.StringLiteral(model));
        }

        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            switch (property.Field)
            {
                case RewriteField.Model:
                    break; // The served name is written first.
                case RewriteField.Prompt or RewriteField.Logprobs when i != prompt && i != logprobs:
                    break; // An earlier duplicate: inspection read the last one.
                case RewriteField.Messages:
                    throw Refusal("messages", "absent: a converted completions request takes its one message from prompt");
                case RewriteField.TopLogprobs:
                    throw Refusal("top_logprobs", "absent: logprobs: n becomes top_logprobs in the chat request");
                case RewriteField.Prompt:
                    // The client's string literal is copied as written: already valid JSON, never decoded again.
                    var text = property.ValueType == JsonTokenType.String
                        ? json[property.ValueStart..property.ValueEnd]
                        : json[property.InnerStart..property.InnerEnd];
                    output.Raw(MessagesStart, text).Append(MessagesEnd);
                    break;
                case RewriteField.Echo:
                    Refuse(property.ValueType is not (JsonTokenType.False or JsonTokenType.Null), "echo", "false or absent: a chat request cannot echo the prompt");
                    break;
                case RewriteField.Suffix:
                    Refuse(property.ValueType != JsonTokenType.Null && property.ValueEnd - property.ValueStart != 2, "suffix", "no suffix: a chat request cannot carry one");
                    break;
                case RewriteField.Logprobs when property.ValueType == JsonTokenType.Number:
                    output.Raw(LogprobsTrue).Raw(TopLogprobs, json[property.ValueStart..property.ValueEnd]);
                    break;
                default:
                    output.Raw(json[property.Start..property.ValueEnd]);
                    break;
            }
        }

        return output.End();
    }

    private static void Refuse(bool refuse, string param, string expected)
    {
        if (refuse)
        {
            throw Refusal(param, expected);
        }
    }

    private static InspectionException Refusal(string param, string expected) => new(ApiErrors.InvalidField(param, expected));
}
