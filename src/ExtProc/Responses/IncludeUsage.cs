using System.Text.Json;
using AiSidecar.ExtProc.Rewrite;

namespace AiSidecar.ExtProc.Responses;

/// <summary>
/// Sets <c>stream_options.include_usage: true</c> in a streamed request's body, splicing as the rewrites do (every other
/// field, and every other member of <c>stream_options</c>, copied byte for byte).
/// </summary>
internal static class IncludeUsage
{
    private static readonly byte[] Member = "\"stream_options\":"u8.ToArray();
    private static readonly byte[] IncludeUsageTrue = "\"include_usage\":true"u8.ToArray();

    /// <summary>True when the body's <c>stream_options.include_usage</c> is <c>true</c>: the client asked for usage itself.</summary>
    public static bool Requested(ReadOnlySpan<byte> body)
    {
        var json = RewriteJson.WithoutBom(body);
        foreach (var property in TopLevelProperty.Read(json))
        {
            if (property.Field == RewriteField.StreamOptions && property.ValueType == JsonTokenType.StartObject)
            {
                return IncludeUsageIn(json[property.ValueStart..property.ValueEnd]);
            }
        }

        return false;
    }

    /// <summary>
    /// The body with <c>stream_options.include_usage</c> set to true: in the client's <c>stream_options</c> object, or a
    /// new one in place of a value that is not an object (a later duplicate dropped), or a new member at the end.
    /// </summary>
    public static ReadOnlyMemory<byte> Inject(ReadOnlySpan<byte> body)
    {
        var json = RewriteJson.WithoutBom(body);
        var output = RewriteJson.Start(json.Length + 48);
        var written = false;
        foreach (var property in TopLevelProperty.Read(json))
        {
            if (property.Field != RewriteField.StreamOptions)
            {
                output.Raw(json[property.Start..property.ValueEnd]);
                continue;
            }

            if (written)
            {
                continue;
            }

            output.Raw(json[property.Start..property.ValueStart], "{"u8);
            if (property.ValueType == JsonTokenType.StartObject)
            {
                CopyOtherMembers(json[property.ValueStart..property.ValueEnd], output);
            }

            output.Append(IncludeUsageTrue).Append("}"u8);
            written = true;
        }

        if (!written)
        {
            output.Member(Member, "{"u8.ToArray(), IncludeUsageTrue, "}"u8.ToArray());
        }

        return output.End();
    }

    private static bool IncludeUsageIn(ReadOnlySpan<byte> options)
    {
        var reader = new Utf8JsonReader(options);
        reader.Read();
        var requested = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                requested = reader.TokenType == JsonTokenType.True;
            }

            reader.Skip();
        }

        return requested;
    }

    /// <summary>Copies each member of the <c>stream_options</c> object but <c>include_usage</c>, each followed by a comma.</summary>
    private static void CopyOtherMembers(ReadOnlySpan<byte> options, RewriteJson output)
    {
        var reader = new Utf8JsonReader(options);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var skip = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            reader.Skip();
            if (!skip)
            {
                output.Append(options[start..(int)reader.BytesConsumed]).Append(","u8);
            }
        }
    }
}
