using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace AiSidecar.ExtProc.Tests.Coalescing.Codecs;

/// <summary>
/// Answers request bodies the way vLLM's OpenAI-compatible server does (TEI's native shape for rerank <c>texts</c>):
/// its field names and order, index numbering, sort order and usage fields. Outputs are deterministic per input and
/// per output-deciding field, ids and times are random, so an answer to a batch holds each input's answer to it alone.
/// </summary>
internal static class FakeEngine
{
    /// <summary>Tokens of a text: its words (the codec tests' stand-in for a tokenizer).</summary>
    public static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary><c>/v1/embeddings</c>: vLLM's EmbeddingResponse; floats as Python prints them, or base64 of float32.</summary>
    public static byte[] Embeddings(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var inputs = Inputs(root.GetProperty("input"));
        var dimensions = root.TryGetProperty("dimensions", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : 6;
        var base64 = root.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
        var salt = Salt(root, "model", "dimensions", "truncate_prompt_tokens", "normalize");
        var tokens = 0;
        return Write(writer =>
        {
            writer.WriteStartObject();
            Header(writer, "embd", "list", root);
            writer.WriteStartArray("data");
            for (var i = 0; i < inputs.Count; i++)
            {
                tokens += Tokens(inputs[i]) + 2;
                var vector = Vector(Raw(inputs[i]) + salt, dimensions);
                writer.WriteStartObject();
                writer.WriteNumber("index", i);
                writer.WriteString("object", "embedding");
                writer.WritePropertyName("embedding");
                if (base64)
                {
                    writer.WriteStringValue(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())));
                }
                else
                {
                    writer.WriteStartArray();
                    foreach (var value in vector)
                    {
                        writer.WriteRawValue(PythonFloat(value));
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            Usage(writer, tokens, completion: 0);
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Rerank: vLLM's RerankResponse (results sorted by a stable descending sort, cut to <c>top_n</c> when 0 &lt; top_n &lt;
    /// count, <c>document</c> left out when <c>return_documents</c> is false as Jina does); with <c>texts</c>, TEI's
    /// bare array (ascending stable sort then reversed: ties put the higher index first), <c>text</c> with <c>return_text</c>.
    /// </summary>
    public static byte[] Rerank(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var query = root.GetProperty("query").GetString()!;
        var tei = root.TryGetProperty("texts", out var texts);
        var documents = (tei ? texts : root.GetProperty("documents")).EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Object ? e.GetProperty("text").GetString()! : e.GetString()!).ToList();
        var salt = Salt(root, "model", "query", "raw_scores");
        var results = documents.Select((text, index) => (index, text, score: Score(text + salt))).ToList();
        var tokens = documents.Sum(text => Words(query) + Words(text) + 3);
        if (tei)
        {
            var returnText = root.TryGetProperty("return_text", out var r) && r.GetBoolean();
            var ranked = results.OrderBy(x => x.score).Reverse().ToList();
            return Write(writer =>
            {
                writer.WriteStartArray();
                foreach (var (index, text, score) in ranked)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index", index);
                    if (returnText)
                    {
                        writer.WriteString("text", text);
                    }

                    writer.WritePropertyName("score");
                    writer.WriteRawValue(PythonFloat((float)score));
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            });
        }

        var sorted = results.OrderByDescending(x => x.score).ToList();
        var topN = root.TryGetProperty("top_n", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : 0;
        if (topN > 0 && topN < sorted.Count)
        {
            sorted = sorted[..topN];
        }

        var withDocuments = !root.TryGetProperty("return_documents", out var rd) || rd.ValueKind != JsonValueKind.False;
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", $"rerank-{Guid.NewGuid():N}");
            writer.WriteString("model", root.TryGetProperty("model", out var model) ? model.GetString() : "default");
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", tokens);
            writer.WriteNumber("total_tokens", tokens);
            writer.WriteEndObject();
            writer.WriteStartArray("results");
            foreach (var (index, text, score) in sorted)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", index);
                if (withDocuments)
                {
                    writer.WriteStartObject("document");
                    writer.WriteString("text", text);
                    writer.WriteNull("multi_modal");
                    writer.WriteEndObject();
                }

                writer.WritePropertyName("relevance_score");
                writer.WriteRawValue(PythonFloat((float)score));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary><c>/v1/completions</c>: vLLM's CompletionResponse, choice <c>index</c> = prompt × n + j.</summary>
    public static byte[] Completions(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var prompts = Inputs(root.GetProperty("prompt"));
        var n = root.TryGetProperty("n", out var nValue) && nValue.ValueKind == JsonValueKind.Number ? nValue.GetInt32() : 1;
        var maxTokens = root.TryGetProperty("max_tokens", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 16;
        var salt = Salt(root, "model", "temperature", "top_p", "seed", "max_tokens", "stop", "logprobs", "echo");
        int promptTokens = 0, completionTokens = 0;
        return Write(writer =>
        {
            writer.WriteStartObject();
            Header(writer, "cmpl", "text_completion", root);
            writer.WriteStartArray("choices");
            var index = 0;
            foreach (var prompt in prompts)
            {
                promptTokens += Tokens(prompt);
                for (var j = 0; j < n; j++)
                {
                    var hash = Hash($"{Raw(prompt)}|{j}|{salt}");
                    var words = Enumerable.Range(0, 1 + (int)(hash % (ulong)Math.Max(1, Math.Min(maxTokens, 5)))).Select(w => $"w{(hash >> (w * 4)) & 0xff}");
                    var text = " " + string.Join(' ', words);
                    completionTokens += Words(text);
                    writer.WriteStartObject();
                    writer.WriteNumber("index", index++);
                    writer.WriteString("text", text);
                    writer.WriteNull("logprobs");
                    writer.WriteString("finish_reason", "length");
                    writer.WriteNull("stop_reason");
                    writer.WriteNull("token_ids");
                    writer.WriteNull("prompt_logprobs");
                    writer.WriteNull("prompt_token_ids");
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteNull("service_tier");
            writer.WriteNull("system_fingerprint");
            Usage(writer, promptTokens, completionTokens);
            writer.WriteNull("kv_transfer_params");
            writer.WriteEndObject();
        });
    }

    /// <summary>A prompt-style input: a string, strings, one token array or token arrays.</summary>
    private static List<JsonElement> Inputs(JsonElement input) =>
        input.ValueKind == JsonValueKind.String || (input.ValueKind == JsonValueKind.Array && input[0].ValueKind == JsonValueKind.Number)
            ? [input]
            : [.. input.EnumerateArray()];

    private static int Tokens(JsonElement input) => input.ValueKind == JsonValueKind.String ? Words(input.GetString()!) : input.GetArrayLength();

    private static string Raw(JsonElement element) => element.GetRawText();

    private static string Salt(JsonElement root, params string[] names) =>
        string.Join('|', names.Select(name => root.TryGetProperty(name, out var value) ? value.GetRawText() : ""));

    private static void Header(Utf8JsonWriter writer, string prefix, string type, JsonElement root)
    {
        writer.WriteString("id", $"{prefix}-{Guid.NewGuid():N}");
        writer.WriteString("object", type);
        writer.WriteNumber("created", Random.Shared.Next(1_700_000_000, 1_800_000_000));
        writer.WriteString("model", root.TryGetProperty("model", out var model) ? model.GetString() : "default");
    }

    /// <summary>vLLM's UsageInfo, all four fields.</summary>
    private static void Usage(Utf8JsonWriter writer, int prompt, int completion)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", prompt);
        writer.WriteNumber("total_tokens", prompt + completion);
        writer.WriteNumber("completion_tokens", completion);
        writer.WriteNull("prompt_tokens_details");
        writer.WriteEndObject();
    }

    /// <summary>A float32 vector; every third component is tiny, so that it prints with an exponent.</summary>
    private static float[] Vector(string seed, int dimensions)
    {
        var vector = new float[dimensions];
        var hash = Hash(seed);
        for (var i = 0; i < dimensions; i++)
        {
            hash = hash * 6364136223846793005UL + 1442695040888963407UL;
            var value = (float)((hash >> 40) / (double)(1UL << 24) - 0.5);
            vector[i] = i % 3 == 2 ? value * 1e-5f : value;
        }

        return vector;
    }

    /// <summary>A relevance score in [0, 1) with two decimals: equal texts tie, and distinct ones sometimes do.</summary>
    private static double Score(string seed) => Hash(seed) % 100 / 100.0;

    /// <summary>A float32 as Python's repr of its double value (what vLLM's tolist() then JSON gives): 1.25e-05 style.</summary>
    private static string PythonFloat(float value)
    {
        var text = ((double)value).ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
        }

        var exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
        return $"{text[..e]}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
    }

    private static ulong Hash(string text) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text));

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
