using System.Text;

namespace AiSidecar.ExtProc.Commands;

/// <summary>One HTTP request as the <c>route</c> and <c>check</c> commands feed it to the decision.</summary>
/// <param name="Method">The method, <c>POST</c> for inference.</param>
/// <param name="Path">The <c>:path</c>.</param>
/// <param name="Headers">Request headers, names lower-cased.</param>
/// <param name="Body">The body bytes.</param>
internal sealed record RouteRequest(string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>Parses <c>name: value</c> or <c>name=value</c> header options.</summary>
    public static List<KeyValuePair<string, string>> ParseHeaders(IEnumerable<string> options)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var option in options)
        {
            var split = option.IndexOfAny([':', '=']);
            if (split <= 0)
            {
                throw new ArgumentException($"'{option}' is not a header; write name:value.");
            }

            headers.Add(new(option[..split].Trim().ToLowerInvariant(), option[(split + 1)..].Trim()));
        }

        return headers;
    }

    /// <summary>The path a body most likely targets, when none is given: chat, completions, rerank or embeddings.</summary>
    public static string GuessPath(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Contains("\"messages\"", StringComparison.Ordinal) ? "/v1/chat/completions"
            : text.Contains("\"prompt\"", StringComparison.Ordinal) ? "/v1/completions"
            : text.Contains("\"query\"", StringComparison.Ordinal) ? "/v1/rerank"
            : text.Contains("\"input\"", StringComparison.Ordinal) ? "/v1/embeddings"
            : "/v1/chat/completions";
    }
}
