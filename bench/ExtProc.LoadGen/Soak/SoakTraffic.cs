using System.Text;
using System.Text.Json;
using AiSidecar.ExtProc.Bench;

namespace AiSidecar.ExtProc.LoadGen.Soak;

/// <summary>What one soak exchange sends, and the answer the server must give.</summary>
/// <param name="Kind">The traffic kind, as reported.</param>
/// <param name="Messages">The three messages Envoy sends for it.</param>
/// <param name="Pool">The pool the request body's reply must route to; null when a local reply is expected.</param>
/// <param name="Status">The status of the expected local reply (ImmediateResponse); 0 when the request is routed.</param>
internal sealed record SoakRequest(string Kind, EnvoyMessages Messages, string? Pool, int Status);

/// <summary>
/// The soak's traffic mix: small and large chat bodies, completions, embeddings (routed), malformed bodies (400) and
/// unknown models (404), each kind in a few variants, with their weights in the mix.
/// </summary>
internal static class SoakTraffic
{
    private const string ChatPath = "/v1/chat/completions";

    public static IReadOnlyList<(SoakRequest Request, int Weight)> Build()
    {
        var chats = Enumerable.Range(0, 8).Select(seed => Chat(ChatBodies.Chat(2048, 1, seed))).ToList();
        var large = Enumerable.Range(0, 2).Select(seed => Chat(ChatBodies.Chat(256 << 10, 3, 100 + seed))).ToList();
        var prompts = chats.Select(LastUserText).ToList();
        (SoakRequest, int)[] mix =
        [
            .. chats.Select(b => (Routed("chat_small", b, ChatPath, SoakConfig.ChatPool), 50 / chats.Count)),
            .. large.Select(b => (Routed("chat_large", b, ChatPath, SoakConfig.ChatPool), 2)),
            .. prompts.Take(4).Select(p => (Routed("completions", Json(new { model = SoakConfig.ChatModel, prompt = p, max_tokens = 64 }), "/v1/completions", SoakConfig.ChatPool), 4)),
            .. prompts.Skip(4).Select(p => (Routed("embeddings", Json(new { model = SoakConfig.EmbedModel, input = new[] { p, p[..(p.Length / 2)] } }), "/v1/embeddings", SoakConfig.EmbedPool), 4)),
            (Local("malformed", "{\"model\":\"soak-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"cut off"u8.ToArray(), ChatPath, 400), 3),
            (Local("malformed", "not json at all"u8.ToArray(), ChatPath, 400), 2),
            (Local("malformed", "{\"model\":\"soak-chat\",\"messages\":\"a string\"}"u8.ToArray(), ChatPath, 400), 2),
            (Local("malformed", [.. "{\"model\":\"soak-chat\",\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xC3, 0x28, .. "\"}]}"u8], ChatPath, 400), 2),
            (Local("unknown_model", Json(new { model = "no-such-model", messages = new[] { new { role = "user", content = "hello" } } }), ChatPath, 404), 5),
        ];
        return mix;
    }

    private static SoakRequest Routed(string kind, byte[] body, string path, string pool) => new(kind, EnvoyMessages.Create(body, path), pool, 0);

    private static SoakRequest Local(string kind, byte[] body, string path, int status) => new(kind, EnvoyMessages.Create(body, path), null, status);

    /// <summary>A generated chat body, for the soak's chat model.</summary>
    private static byte[] Chat(byte[] body) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace($"\"model\":\"{ChatBodies.Model}\"", $"\"model\":\"{SoakConfig.ChatModel}\"", StringComparison.Ordinal));

    private static string LastUserText(byte[] chat)
    {
        using var document = JsonDocument.Parse(chat);
        return document.RootElement.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString()!;
    }

    private static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value);
}
