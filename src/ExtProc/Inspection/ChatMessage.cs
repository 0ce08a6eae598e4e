namespace AiSidecar.ExtProc.Inspection;

/// <summary>One message of a chat-style request, reduced to what token counting needs.</summary>
/// <param name="Role">The message role (system, user, assistant, tool, developer…).</param>
/// <param name="Name">The optional participant name.</param>
/// <param name="TextParts">The text content: one entry for string content, one per text part otherwise.</param>
/// <param name="NonTextParts">How many image, audio or file parts the message carries.</param>
internal sealed record ChatMessage(string Role, string? Name, IReadOnlyList<string> TextParts, int NonTextParts)
{
    /// <summary>The content as chat templates see it: a string, text parts joined by a newline, or null.</summary>
    public string? Content { get; init; }

    /// <summary>The assistant's tool calls, for chat templates.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>The <c>reasoning_content</c> field, for templates that render reasoning.</summary>
    public string? ReasoningContent { get; init; }
}
