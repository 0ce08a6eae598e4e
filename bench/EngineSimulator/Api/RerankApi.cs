using System.Text.Json;
using AiSidecar.EngineSimulator.Gpu;

namespace AiSidecar.EngineSimulator.Api;

/// <summary>
/// <c>POST /rerank</c> and <c>/v1/rerank</c> as vLLM answers them (the Jina/Cohere shape): <c>query</c>,
/// <c>documents</c> (strings or <c>{"text"}</c>), <c>top_n</c> (0 or absent: all), <c>return_documents</c>
/// (default true: vLLM always returns them). Results sorted by score descending; ties keep the lower index first
/// (vLLM sorts with Python's stable sort).
/// </summary>
internal static class RerankApi
{
    public static PreparedRequest Prepare(JsonElement root, RequestContext context)
    {
        var options = context.Options;
        var query = RequestJson.String(root, "query") ?? throw SimulatorException.Invalid("'query' is required.", "query");
        var documents = Documents(root);
        var topN = RequestJson.Int(root, "top_n", int.MinValue) ?? 0;
        var returnDocuments = RequestJson.Bool(root, "return_documents") ?? true;
        var queryTokens = options.CountTokens(query);
        var tokens = documents.Select(d => queryTokens + options.CountTokens(d) + options.SpecialTokens).ToArray();
        context.CheckLimits(tokens);

        var scores = documents.Select(d => SimulatedOutputs.RelevanceScore(query, d)).ToArray();
        var order = Enumerable.Range(0, documents.Count).OrderByDescending(i => scores[i]).Take(topN > 0 ? topN : documents.Count);
        var body = RequestJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", context.Id("rerank"));
            w.WriteString("model", RequestJson.Model(root, options));
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", tokens.Sum());
            w.WriteNumber("total_tokens", tokens.Sum());
            w.WriteEndObject();
            w.WriteStartArray("results");
            foreach (var i in order)
            {
                w.WriteStartObject();
                w.WriteNumber("index", i);
                if (returnDocuments)
                {
                    w.WriteStartObject("document");
                    w.WriteString("text", documents[i]);
                    w.WriteEndObject();
                }

                w.WriteNumber("relevance_score", scores[i]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        return new PreparedRequest(GpuWork.Pooling(tokens), body);
    }

    private static List<string> Documents(JsonElement root)
    {
        if (!root.TryGetProperty("documents", out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw SimulatorException.Invalid("'documents' must be a non-empty array.", "documents");
        }

        var documents = new List<string>(value.GetArrayLength());
        foreach (var document in value.EnumerateArray())
        {
            documents.Add(document.ValueKind switch
            {
                JsonValueKind.String => document.GetString()!,
                JsonValueKind.Object when document.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String => text.GetString()!,
                _ => throw SimulatorException.Invalid("'documents' items must be strings or objects with a string 'text'.", "documents"),
            });
        }

        return documents;
    }
}
