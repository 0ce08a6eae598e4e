namespace AiSidecar.ExtProc.Inspection;

/// <summary>One tool call of an assistant message, as chat templates render it.</summary>
/// <param name="Id">The call id, when given.</param>
/// <param name="Type">The call type (<c>function</c>).</param>
/// <param name="Name">The function name.</param>
/// <param name="Arguments">The arguments as sent: a JSON string's value, or an object's raw JSON.</param>
internal sealed record ToolCall(string? Id, string Type, string Name, string Arguments);
