namespace AiSidecar.ExtProc.Rewrite;

/// <summary>Rewrites a request body's <c>model</c> to the served model name; every other field is copied byte for byte.</summary>
internal static class ModelFieldRewriter
{
    private static readonly byte[] ModelName = "\"model\":"u8.ToArray();

    /// <summary>
    /// The body with <c>model</c> set to <paramref name="model"/>: in place of the first <c>model</c> field (later
    /// duplicates dropped), or first when the body had none. The body is a JSON object inspection already parsed.
    /// </summary>
    public static ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> body, string model)
    {
        var json = RewriteJson.WithoutBom(body.Span);
        var properties = TopLevelProperty.Read(json);
        var value = RewriteJson.StringLiteral(model);
        var output = RewriteJson.Start(json.Length + value.Length);
        var written = false;
        if (!properties.Exists(p => p.Field == RewriteField.Model))
        {
            output.Member(ModelName, value);
            written = true;
        }

        foreach (var property in properties)
        {
            if (property.Field != RewriteField.Model)
            {
                output.Raw(json[property.Start..property.ValueEnd]);
            }
            else if (!written)
            {
                output.Raw(json[property.Start..property.ValueStart], value);
                written = true;
            }
        }

        return output.End();
    }
}
