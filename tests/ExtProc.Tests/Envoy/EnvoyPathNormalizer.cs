using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>
/// What Envoy's HTTP connection manager does to <c>:path</c> before any filter or route sees it, for the options the
/// shipped configs set: a <c>#fragment</c> refused (Envoy's default since 1.16.5), then
/// <c>path_with_escaped_slashes_action</c> (on the path before the query), then <c>normalize_path</c> (Chromium's
/// path canonicalization as Envoy uses it: <c>\</c> as <c>/</c>; escapes of letters, digits and <c>-._~</c> decoded,
/// others kept as sent; <c>%00</c> or NUL refused; characters a URL cannot hold escaped; <c>.</c> and <c>..</c>
/// segments, also as <c>%2E</c>, resolved, a trailing slash kept), then <c>merge_slashes</c>. The query is kept
/// unchanged. A refused path is answered 400 by Envoy.
/// </summary>
internal sealed record EnvoyPathNormalizer(bool NormalizePath, bool MergeSlashes, string EscapedSlashesAction)
{
    /// <summary>The options of an HTTP connection manager's <c>typed_config</c> (absent = Envoy's defaults).</summary>
    public static EnvoyPathNormalizer From(JsonNode connectionManager) => new(
        connectionManager["normalize_path"]?.GetValue<string>() == "true",
        connectionManager["merge_slashes"]?.GetValue<string>() == "true",
        connectionManager["path_with_escaped_slashes_action"]?.GetValue<string>() ?? "KEEP_UNCHANGED");

    /// <summary>The path the filters and routes see, or null when Envoy answers 400.</summary>
    public string? Normalize(string path)
    {
        if (path.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }

        var queryAt = path.IndexOf('?', StringComparison.Ordinal);
        var route = queryAt < 0 ? path : path[..queryAt];
        var query = queryAt < 0 ? "" : path[queryAt..];
        string[] escapedSlashes = ["%2F", "%2f", "%5C", "%5c"];
        if (escapedSlashes.Any(e => route.Contains(e, StringComparison.Ordinal)))
        {
            switch (EscapedSlashesAction)
            {
                case "REJECT_REQUEST":
                    return null;
                case "KEEP_UNCHANGED" or "IMPLEMENTATION_SPECIFIC_DEFAULT":
                    break;
                default:
                    throw new NotSupportedException($"path_with_escaped_slashes_action {EscapedSlashesAction} is not modelled.");
            }
        }

        if (NormalizePath)
        {
            if (Canonicalize(route) is not { } canonical)
            {
                return null;
            }

            route = canonical;
        }

        if (MergeSlashes && route.Contains("//", StringComparison.Ordinal))
        {
            var merged = string.Join('/', route.Split('/', StringSplitOptions.RemoveEmptyEntries));
            route = (route.StartsWith('/') ? "/" : "") + merged + (route.EndsWith('/') ? "/" : "");
        }

        return route + query;
    }

    private static string? Canonicalize(string path)
    {
        // First the characters: escapes of unreserved characters decoded, the rest kept or escaped.
        var text = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%' && i + 2 < path.Length && byte.TryParse(path.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
            {
                if (escaped == 0)
                {
                    return null;
                }

                if (IsUnreserved((char)escaped))
                {
                    text.Append((char)escaped);
                }
                else
                {
                    text.Append(path, i, 3);
                }
                i += 2;
            }
            else if (c == '\0')
            {
                return null;
            }
            else
            {
                text.Append(c == '\\' ? "/" : MustEscape(c) ? Escape(c) : c.ToString());
            }
        }

        // Then the dot segments, keeping the slash after the segment a '..' removes.
        var segments = new List<string>();
        var parts = text.ToString().Split('/');
        var start = parts[0].Length == 0 ? 1 : 0;
        for (var i = start; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            switch (parts[i])
            {
                case ".":
                    if (last)
                    {
                        segments.Add("");
                    }

                    break;
                case "..":
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }

                    if (last)
                    {
                        segments.Add("");
                    }

                    break;
                default:
                    segments.Add(parts[i]);
                    break;
            }
        }

        return "/" + string.Join('/', segments);
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static bool MustEscape(char c) => c is <= ' ' or '"' or '<' or '>' or '^' or '`' or '{' or '|' or '}' or >= '\x7f';

    private static string Escape(char c) =>
        string.Concat(Encoding.UTF8.GetBytes(c.ToString()).Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture)));
}
