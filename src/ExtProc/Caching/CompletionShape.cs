using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// What the cache knows of OpenAI-style completions, streamed and not: the object names, the envelope members every
/// chunk repeats, the members that end a choice, and how its JSON is written.
/// </summary>
internal static class CompletionShape
{
    public const string Chat = "chat.completion";

    public const string ChatChunk = "chat.completion.chunk";

    /// <summary>A completions response and each of its stream's chunks.</summary>
    public const string Text = "text_completion";

    /// <summary>The members a completion and each chunk carry around the choices, <c>id</c> first.</summary>
    public static readonly string[] Envelope = ["id", "created", "model", "system_fingerprint", "service_tier"];

    /// <summary>What ends a choice: <c>finish_reason</c>, and vLLM's <c>stop_reason</c> and SGLang's <c>matched_stop</c>.</summary>
    public static readonly string[] Endings = ["finish_reason", "stop_reason", "matched_stop"];

    /// <summary>Text kept as UTF-8 (a response body, not HTML).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
