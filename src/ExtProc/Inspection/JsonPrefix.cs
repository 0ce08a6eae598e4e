using System.Text.Json;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Tells a cut-off JSON document from a malformed one.</summary>
internal static class JsonPrefix
{
    /// <summary>
    /// True when <paramref name="data"/> is a proper prefix of some valid JSON document: every byte read so far is
    /// well-formed, but the document is not finished. False for complete or malformed documents.
    /// </summary>
    public static bool IsIncomplete(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return true;
    }
}
