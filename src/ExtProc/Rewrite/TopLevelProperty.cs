using System.Text.Json;

namespace AiSidecar.ExtProc.Rewrite;

/// <summary>
/// One top-level property of a JSON object body, as byte offsets into it: <c>"name": value</c> is
/// <c>[Start, ValueEnd)</c>, the value alone <c>[ValueStart, ValueEnd)</c>. For a one-string array value,
/// <c>[InnerStart, InnerEnd)</c> is that string literal.
/// </summary>
internal readonly record struct TopLevelProperty(RewriteField Field, JsonTokenType ValueType, int Start, int ValueStart, int ValueEnd, int InnerStart, int InnerEnd)
{
    /// <summary>
    /// Reads the properties of <paramref name="body"/>, a JSON object that inspection already parsed, with one
    /// forward pass of <see cref="Utf8JsonReader"/>: no document, no decoding of values.
    /// </summary>
    public static List<TopLevelProperty> Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        var properties = new List<TopLevelProperty>(16);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var field = FieldOf(ref reader);
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            var type = reader.TokenType;
            int innerStart = -1, innerEnd = -1;
            if (type == JsonTokenType.StartArray && field == RewriteField.Prompt)
            {
                if (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    innerStart = (int)reader.TokenStartIndex;
                    innerEnd = (int)reader.BytesConsumed;
                }

                while (reader.TokenType != JsonTokenType.EndArray)
                {
                    reader.Skip();
                    reader.Read();
                }
            }
            else
            {
                reader.Skip();
            }

            properties.Add(new TopLevelProperty(field, type, start, valueStart, (int)reader.BytesConsumed, innerStart, innerEnd));
        }

        return properties;
    }

    private static RewriteField FieldOf(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.ValueTextEquals("model"u8) ? RewriteField.Model
                : reader.ValueTextEquals("prompt"u8) ? RewriteField.Prompt
                : reader.ValueTextEquals("echo"u8) ? RewriteField.Echo
                : reader.ValueTextEquals("suffix"u8) ? RewriteField.Suffix
                : reader.ValueTextEquals("logprobs"u8) ? RewriteField.Logprobs
                : reader.ValueTextEquals("top_logprobs"u8) ? RewriteField.TopLogprobs
                : reader.ValueTextEquals("messages"u8) ? RewriteField.Messages
                : reader.ValueTextEquals("stream_options"u8) ? RewriteField.StreamOptions
                : RewriteField.Other;
        }
        catch (InvalidOperationException)
        {
            // A name escaping an unpaired surrogate ("\ude01") cannot be unescaped to compare; inspection accepts it in
            // a field it never reads, and it is none of the fields above (found by fuzzing, docs/fuzzing.md).
            return RewriteField.Other;
        }
    }
}
