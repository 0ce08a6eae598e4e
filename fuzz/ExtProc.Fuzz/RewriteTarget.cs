using System.Text.Json;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Rewrite;

namespace AiSidecar.ExtProc.Fuzz;

/// <summary>
/// The rewrite splicer, on bodies inspection accepted, as the rewrite stage calls it. Input: one selector byte (bit 0:
/// model rewrite or completions-to-chat; the next bits: the served model name and, for a model rewrite, the API), then
/// the body. Guarantees: the output is a JSON object the inspector accepts as the target API (a converted body may be
/// refused only for the client's own bad strings in fields copied as written, which the chat inspector reads and the
/// completions one does not), with the served model once and every other field of the client's body byte for byte; completions-to-chat refuses only the documented
/// fields (<c>echo</c>, <c>suffix</c>, <c>messages</c>, <c>top_logprobs</c>), writes each field it converts once, and
/// its one user message is the prompt inspection read.
/// </summary>
internal static class RewriteTarget
{
    /// <summary>Served names as a catalogue may hold them: JSON escapes, non-ASCII, the longest allowed.</summary>
    private static readonly string[] ServedModels =
    [
        "Qwen/Qwen3-8B", "m\"o\\d/el", "模型-😀", "a</script>\u2028b", new('x', 256),
    ];

    /// <summary>The fields the splicer treats specially.</summary>
    private static readonly string[] KnownFields = ["model", "messages", "logprobs", "top_logprobs", "prompt", "echo", "suffix"];

    private static readonly RequestInspector Inspector = new();

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var selector = input[0];
        var served = ServedModels[(selector >> 1) % ServedModels.Length];
        var body = input.AsMemory(1);
        if ((selector & 1) == 0)
        {
            RewriteModel((ApiKind)((selector >> 4) % Enum.GetValues<ApiKind>().Length), body, served);
        }
        else
        {
            ConvertToChat(body, served);
        }
    }

    private static void RewriteModel(ApiKind kind, ReadOnlyMemory<byte> body, string served)
    {
        if (TryInspect(kind, body) is not { } request)
        {
            return;
        }

        var output = ModelFieldRewriter.Rewrite(body, served);

        var rewritten = InspectOutput(kind, output);
        FuzzFailure.Require(rewritten.Model == served, "the model is the served name");
        FuzzFailure.Require(rewritten.Texts.SequenceEqual(request.Texts) && rewritten.Messages.Count == request.Messages.Count, "the request reads the same but for the model");
        FuzzFailure.Require(Count(output, "model") == 1, "the model appears once");
        FuzzFailure.Require(Members(output, "model").SequenceEqual(Members(body, "model")), "every other field is kept as written, in order");
    }

    private static void ConvertToChat(ReadOnlyMemory<byte> body, string served)
    {
        if (TryInspect(ApiKind.Completions, body) is not { } request || CompletionsToChat.Check(request) is not null)
        {
            return;
        }

        ReadOnlyMemory<byte> output;
        try
        {
            output = CompletionsToChat.Convert(body, served);
        }
        catch (InspectionException ex)
        {
            FuzzFailure.Require(ex.Error.Param is "echo" or "suffix" or "messages" or "top_logprobs", $"only the documented fields are refused (got {ex.Error.Param})");
            return;
        }

        if (TryInspect(ApiKind.ChatCompletions, output, out var refusal) is { } chat)
        {
            var message = chat.Messages.Count == 1 ? chat.Messages[0] : null;
            FuzzFailure.Require(chat.Model == served, "the model is the served name");
            FuzzFailure.Require(message is { Role: "user" } && message.TextParts.SequenceEqual([request.Texts[0]]), "one user message holds the prompt");
            FuzzFailure.Require((chat.MaxTokens, chat.Stream, chat.User) == (request.MaxTokens, request.Stream, request.User), "the other request fields read the same");
        }
        else
        {
            // The inspector checks strings lazily, only where it reads, and it reads more of a chat body (tools, template
            // arguments) than of a completions one: a member the client wrote with invalid UTF-8 or an escaped lone
            // surrogate, copied as written, can be refused there. The converted part is checked on its own instead.
            FuzzFailure.Require(refusal is "invalid_json", $"the converted body is refused by the inspector only for the client's own bad strings (got {refusal})");
            FuzzFailure.Require(MessageContent(output) == request.Texts[0], "one user message holds the prompt");
        }

        FuzzFailure.Require(Count(output, "model") == 1 && Count(output, "messages") == 1 && Count(output, "top_logprobs") <= 1, "the fields the conversion writes appear once");
        FuzzFailure.Require(Members(output, KnownFields).SequenceEqual(Members(body, KnownFields)), "every other field is kept as written, in order");
    }

    /// <summary>The inspected request, or null (the rewrite stage only ever sees bodies inspection accepted).</summary>
    private static InferenceRequest? TryInspect(ApiKind kind, ReadOnlyMemory<byte> body) => TryInspect(kind, body, out _);

    private static InferenceRequest? TryInspect(ApiKind kind, ReadOnlyMemory<byte> body, out string? refusal)
    {
        try
        {
            refusal = null;
            return Inspector.Inspect(kind, body);
        }
        catch (InspectionException ex)
        {
            refusal = ex.Error.Kind;
            return null;
        }
    }

    /// <summary>The content of the first message of the body's <c>messages</c> member, read from that member alone.</summary>
    private static string? MessageContent(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = 64 });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var messages = Known(ref reader) == "messages";
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (messages)
            {
                using var document = JsonDocument.Parse(json.Slice(start, (int)reader.BytesConsumed - start));
                return document.RootElement[0].GetProperty("content").GetString();
            }
        }

        return null;
    }

    private static InferenceRequest InspectOutput(ApiKind kind, ReadOnlyMemory<byte> output)
    {
        try
        {
            return Inspector.Inspect(kind, output);
        }
        catch (InspectionException ex)
        {
            throw new FuzzFailure($"the rewritten body is refused by the inspector: {ex.Error.Message}");
        }
    }

    private static int Count(ReadOnlyMemory<byte> json, string name) => Members(json).Count(m => m.Known == name);

    /// <summary>
    /// The top-level members as written (raw name and value bytes), leaving out <paramref name="except"/>. Read with
    /// <see cref="Utf8JsonReader"/> as the splicer reads them: names are compared unescaped but never decoded (a name
    /// may hold invalid UTF-8, which the inspector accepts in fields it does not read).
    /// </summary>
    private static List<Member> Members(ReadOnlyMemory<byte> json, params string[] except)
    {
        var span = RewriteJson.WithoutBom(json.Span);
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = 64 });
        var members = new List<Member>();
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Convert.ToHexString(reader.ValueSpan);
            var known = Known(ref reader);

            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (known is null || !except.Contains(known))
            {
                members.Add(new Member(name, known, Convert.ToHexString(span[start..(int)reader.BytesConsumed])));
            }
        }

        return members;
    }

    /// <summary>The known field the reader's property name is, if any; a name that cannot be unescaped is none.</summary>
    private static string? Known(ref Utf8JsonReader reader)
    {
        try
        {
            foreach (var field in KnownFields)
            {
                if (reader.ValueTextEquals(field))
                {
                    return field;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate: not one of the known names.
        }

        return null;
    }

    /// <summary>A member; <see cref="Known"/> names it when it is one of the <see cref="KnownFields"/>.</summary>
    private sealed record Member(string RawName, string? Known, string RawValue);
}
