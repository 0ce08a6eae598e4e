using System.Text.Json;

namespace AiSidecar.ExtProc.Errors;

/// <summary>An OpenAI-style error answered to the client instead of forwarding the request.</summary>
/// <param name="Status">HTTP status code of the reply.</param>
/// <param name="Kind">Short machine-readable kind, used as the metric label and Envoy's response details.</param>
/// <param name="Type">OpenAI error type, for example <c>invalid_request_error</c>.</param>
/// <param name="Message">Human-readable message. Never contains prompt text.</param>
/// <param name="Param">The request field at fault, when there is one.</param>
/// <param name="Code">OpenAI error code, for example <c>model_not_found</c>.</param>
internal sealed record ApiError(int Status, string Kind, string Type, string Message, string? Param = null, string? Code = null)
{
    /// <summary>Serializes the error as <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public byte[] ToJsonBytes()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", Message);
            writer.WriteString("type", Type);
            WriteNullable(writer, "param", Param);
            WriteNullable(writer, "code", Code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
