using System.Text.Json;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Reads <c>prompt</c> and <c>input</c> fields: a string, strings, a token array or token arrays.</summary>
internal static class PromptReader
{
    private const string Expected = "a string, an array of strings, an array of token ids or an array of token-id arrays";

    /// <summary>
    /// Adds the texts to <paramref name="texts"/> and returns the number of pre-tokenized tokens. Each string and each
    /// token-id array is one input (at most <see cref="InspectionOptions.MaxInputs"/>); a flat token-id array is one
    /// prompt however long.
    /// </summary>
    public static int Read(JsonElement value, string param, List<string> texts, ItemLimits limits)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            texts.Add(value.GetString()!);
            return 0;
        }

        JsonFields.RequireKind(value, JsonValueKind.Array, param, Expected);
        var tokens = 0;
        var index = 0;
        var inputs = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind is JsonValueKind.String or JsonValueKind.Array)
            {
                limits.Input(++inputs, param);
            }

            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    texts.Add(item.GetString()!);
                    break;
                case JsonValueKind.Number:
                    RequireTokenId(item, param);
                    tokens++;
                    break;
                case JsonValueKind.Array:
                    tokens += ReadTokenIds(item, $"{param}[{index}]");
                    break;
                default:
                    throw JsonFields.Invalid(param, Expected);
            }

            index++;
        }

        return tokens;
    }

    private static int ReadTokenIds(JsonElement array, string param)
    {
        var count = 0;
        foreach (var id in array.EnumerateArray())
        {
            RequireTokenId(id, param);
            count++;
        }

        return count;
    }

    private static void RequireTokenId(JsonElement id, string param)
    {
        if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var n) || n < 0)
        {
            throw JsonFields.Invalid(param, "token ids as non-negative integers");
        }
    }
}
