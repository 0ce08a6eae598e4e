namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>
/// Reads the caller's identity from Envoy's <c>x-forwarded-client-cert</c> (XFCC) header: elements separated by
/// <c>,</c>, each a list of <c>key=value</c> pairs separated by <c>;</c>, a value possibly in double quotes (with
/// <c>\"</c> inside). Envoy appends the element of the peer it terminated mTLS for last (APPEND_FORWARD), or sets it
/// alone (SANITIZE_SET), so only the <b>last</b> element names the immediate caller: earlier ones are whatever the
/// caller itself forwarded. Its <c>URI</c> keys are the peer certificate's URI SANs (a SPIFFE ID in a mesh);
/// <c>By</c> is the proxy's own certificate and never an identity of the caller.
/// </summary>
internal static class ClientCertHeader
{
    /// <summary>
    /// Adds the <c>URI</c> values of the last element of <paramref name="header"/> to <paramref name="uris"/>. False
    /// when the header is malformed (an unterminated quote, a pair without <c>=</c>, an empty element): then nothing
    /// is added and the caller counts as unidentified.
    /// </summary>
    public static bool TryReadCallerUris(string header, List<string> uris)
    {
        var element = LastElement(header);
        if (element is null)
        {
            return false;
        }

        var found = new List<string>(1);
        var pairs = Split(element, ';');
        if (pairs is null)
        {
            return false;
        }

        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            var key = pair[..equals].Trim();
            if (Unquote(pair[(equals + 1)..].Trim()) is not { } value)
            {
                return false;
            }

            if (key.Equals("URI", StringComparison.OrdinalIgnoreCase) && value.Length > 0)
            {
                found.Add(value);
            }
        }

        uris.AddRange(found);
        return true;
    }

    /// <summary>The last <c>,</c>-separated element (commas inside quotes do not separate); null when malformed or empty.</summary>
    private static string? LastElement(string header)
    {
        var elements = Split(header, ',');
        return elements is { Count: > 0 } && elements[^1].Trim().Length > 0 ? elements[^1].Trim() : null;
    }

    /// <summary>Splits on <paramref name="separator"/> outside double quotes; null on an unterminated quote.</summary>
    private static List<string>? Split(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        if (quoted)
        {
            return null;
        }

        parts.Add(text[start..]);
        return parts;
    }

    /// <summary>A value without its quotes and escapes; null when a quote is misplaced.</summary>
    private static string? Unquote(string value)
    {
        if (value.Length == 0 || value[0] != '"')
        {
            return value.Contains('"', StringComparison.Ordinal) ? null : value;
        }

        if (value.Length < 2 || value[^1] != '"')
        {
            return null;
        }

        var inner = value[1..^1];
        if (!inner.Contains('\\', StringComparison.Ordinal))
        {
            return inner.Contains('"', StringComparison.Ordinal) ? null : inner;
        }

        var text = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
            }
            else if (inner[i] == '"')
            {
                return null;
            }

            text.Append(inner[i]);
        }

        return text.ToString();
    }
}
