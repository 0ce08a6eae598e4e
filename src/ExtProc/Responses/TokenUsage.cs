using System.Text.Json;

namespace AiSidecar.ExtProc.Responses;

/// <summary>
/// Token usage as a model server reports it, in any of the shapes OpenAI-compatible servers use: chat and completions
/// (<c>prompt_tokens</c>, <c>completion_tokens</c>, <c>prompt_tokens_details.cached_tokens</c>,
/// <c>completion_tokens_details.reasoning_tokens</c>), the Responses API (<c>input_tokens</c>, <c>output_tokens</c>,
/// <c>input_tokens_details</c>, <c>output_tokens_details</c>), embeddings and rerank (<c>prompt_tokens</c> or only
/// <c>total_tokens</c>).
/// </summary>
internal readonly record struct TokenUsage(long Input, long? Output, long? Cached, long? Reasoning)
{
    /// <summary>Reads a <c>usage</c> object; false for <c>null</c>, anything not an object, or an object with no input count.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out TokenUsage usage)
    {
        usage = default;
        long? prompt = null, total = null, output = null, cached = null, reasoning = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8))
                {
                    prompt = Number(ref reader) ?? prompt;
                }
                else if (reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8))
                {
                    output = Number(ref reader) ?? output;
                }
                else if (reader.ValueTextEquals("total_tokens"u8))
                {
                    total = Number(ref reader);
                }
                else if (reader.ValueTextEquals("prompt_tokens_details"u8) || reader.ValueTextEquals("input_tokens_details"u8))
                {
                    cached = Detail(ref reader, "cached_tokens"u8) ?? cached;
                }
                else if (reader.ValueTextEquals("completion_tokens_details"u8) || reader.ValueTextEquals("output_tokens_details"u8))
                {
                    reasoning = Detail(ref reader, "reasoning_tokens"u8) ?? reasoning;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if ((prompt ?? total) is not { } input)
        {
            return false;
        }

        usage = new TokenUsage(input, output, cached, reasoning);
        return true;
    }

    private static long? Number(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= 0)
        {
            return value;
        }

        reader.Skip();
        return null;
    }

    private static long? Detail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long? found = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                found = Number(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return found;
    }
}
