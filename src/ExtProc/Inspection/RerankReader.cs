using System.Text.Json;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Reads rerank requests: <c>query</c> plus <c>documents</c> (or TEI's <c>texts</c>).</summary>
internal static class RerankReader
{
    public static void Read(JsonElement root, List<string> texts, ItemLimits limits)
    {
        texts.Add(JsonFields.String(JsonFields.Require(root, "query"), "query"));
        var name = root.TryGetProperty("documents", out _) ? "documents" : "texts";
        var documents = JsonFields.Require(root, name);
        JsonFields.RequireKind(documents, JsonValueKind.Array, name, "an array of strings or objects with a 'text' field");
        limits.Input(documents.GetArrayLength(), name);
        var index = 0;
        foreach (var document in documents.EnumerateArray())
        {
            var param = $"{name}[{index++}]";
            texts.Add(document.ValueKind == JsonValueKind.Object
                ? JsonFields.String(JsonFields.Require(document, "text"), $"{param}.text")
                : JsonFields.String(document, param));
        }
    }
}
