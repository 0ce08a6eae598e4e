namespace AiSidecar.ExtProc.Inspection;

/// <summary>What the server learned from an OpenAI-compatible request body.</summary>
internal sealed record InferenceRequest
{
    /// <summary>The API called.</summary>
    public required ApiKind Kind { get; init; }

    /// <summary>The <c>model</c> field, or null when the client left it out.</summary>
    public string? Model { get; init; }

    /// <summary>Chat messages (chat completions, and responses input given as items).</summary>
    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];

    /// <summary>The <c>tools</c> definitions (chat completions), for chat templates that render them.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> Tools { get; init; } = [];

    /// <summary><c>chat_template_kwargs</c> (vLLM), detached from the parsed document, or null.</summary>
    public System.Text.Json.JsonElement? ChatTemplateArgs { get; init; }

    /// <summary>Plain texts to count: prompt, input, instructions, rerank query and documents.</summary>
    public IReadOnlyList<string> Texts { get; init; } = [];

    /// <summary>Tokens the client sent already tokenized (token-array prompts and inputs).</summary>
    public int PretokenizedTokens { get; init; }

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c> (or <c>max_output_tokens</c>).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The <c>stream</c> flag.</summary>
    public bool Stream { get; init; }

    /// <summary>The <c>user</c> field.</summary>
    public string? User { get; init; }

    /// <summary>Image, audio and file parts across all messages.</summary>
    public int NonTextParts => Messages.Sum(m => m.NonTextParts);
}
