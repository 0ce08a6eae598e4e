using System.Text.Json;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Minimal valid OpenAI-style request bodies.</summary>
internal static class InferenceBodies
{
    public static string Chat(string content, string model = "gpt-4o") => JsonSerializer.Serialize(new
    {
        model,
        messages = new[] { new { role = "user", content } },
    });

    public static string Completion(string prompt, string model = "gpt-4o") => JsonSerializer.Serialize(new { model, prompt });

    public static string Embedding(string input, string model = "text-embedding-3-small") => JsonSerializer.Serialize(new { model, input });

    public static string Responses(string input, string model = "gpt-4o") => JsonSerializer.Serialize(new { model, input });

    public static string Rerank(string query, string document, string model = "rerank-v1") =>
        JsonSerializer.Serialize(new { model, query, documents = new[] { document } });
}
