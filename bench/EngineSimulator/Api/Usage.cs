using System.Text.Json;

namespace AiSidecar.EngineSimulator.Api;

/// <summary>vLLM's <c>usage</c> object (<c>UsageInfo</c>), its fields in vLLM's order.</summary>
internal static class Usage
{
    public static void Write(Utf8JsonWriter writer, int promptTokens, int completionTokens)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", promptTokens);
        writer.WriteNumber("total_tokens", promptTokens + completionTokens);
        writer.WriteNumber("completion_tokens", completionTokens);
        writer.WriteNull("prompt_tokens_details");
        writer.WriteEndObject();
    }
}
