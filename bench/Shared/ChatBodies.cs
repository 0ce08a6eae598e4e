using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiSidecar.ExtProc.Bench;

/// <summary>
/// Builds OpenAI-style chat completion bodies of a chosen size from a fixed corpus of realistic text.
/// <para/>Deterministic: the same arguments always give the same bytes, so no large fixture is committed.
/// </summary>
internal static class ChatBodies
{
    /// <summary>The model named in generated bodies.</summary>
    public const string Model = "llama-3.1-8b-instruct";

    private const string SystemPrompt =
        "You are a careful assistant for a platform engineering team. Answer precisely, cite the configuration keys you rely on, " +
        "and say so when you are not sure.";

    // Prose, code, logs, identifiers and a little non-English text: the mix an LLM gateway sees, so the tokenizer's
    // pre-tokenizer and its word cache meet both repeated words and one-off strings.
    // Raw UTF-8 rather than \uXXXX escapes, as most current SDKs send.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly string[] Corpus =
    [
        "The gateway sits in front of three inference pools and routes each request by the number of prompt tokens it carries.",
        "When the queue depth of the small pool exceeds the configured threshold, new requests spill over to the medium pool.",
        "Please summarise the incident timeline below and list the follow-up actions with an owner for each one.",
        "At 14:02 UTC the p99 latency of the chat endpoint rose from 850 ms to 4.2 s while GPU utilisation stayed under 40%.",
        "The on-call engineer restarted two replicas, which cleared the backlog but did not explain the original spike.",
        "Our hypothesis is that a burst of long-context requests evicted the KV cache of shorter conversations.",
        "Could you rewrite the following function so that it streams the response instead of buffering it in memory?",
        "Kubernetes reported the pod as Ready even though the model weights were still loading from the persistent volume.",
        "The readiness probe should only pass once the first warm-up inference has completed successfully.",
        "Explain the difference between tensor parallelism and pipeline parallelism as if I were a backend developer.",
        "In the last quarter the team reduced the median time to first token by 37 percent without adding hardware.",
        "Translate the error message into plain language for the customer and suggest what they should try next.",
        "The contract requires that personally identifiable information never leaves the EU region, including in logs.",
        "I tried setting max_tokens to 4096 but the server still truncates the answer after roughly 2,000 words.",
        "Here is the stack trace from the worker, captured right before the container was OOM-killed by the kubelet.",
        "Write unit tests for the retry policy: it must back off exponentially, cap at 30 seconds and give up after five tries.",
        "Der Dienst antwortet mit einem Fehler 503, sobald mehr als zweihundert gleichzeitige Anfragen eintreffen.",
        "Le modèle répond correctement en anglais, mais il mélange parfois les langues lorsque la question est en français.",
        "请用三句话总结这份报告的主要结论，并指出其中最大的风险。",
        "The config map sets tokenization.encoding to o200k_base and routing.ranges to small, medium and large.",
        "func retry(ctx context.Context, op func() error) error { for i := 0; i < 5; i++ { if err := op(); err == nil { return nil } } return errTimeout }",
        "def chunk(xs, n):\n    return [xs[i:i + n] for i in range(0, len(xs), n)]\n",
        "{\"level\":\"error\",\"ts\":\"2026-11-03T14:02:17.381Z\",\"msg\":\"upstream connect error\",\"pool\":\"llm-medium\",\"retries\":3}",
        "SELECT tenant_id, count(*) AS requests, avg(prompt_tokens) FROM usage WHERE day >= '2026-10-01' GROUP BY tenant_id;",
        "The answer should be formatted as a Markdown table with the columns Service, Owner, SLO and Current Error Budget.",
        "Assume the cluster has 8 nodes with 4 GPUs each and that every model replica needs 2 GPUs with 80 GB of memory.",
        "Let's think step by step about why the cache hit rate dropped after the deployment on Tuesday evening.",
        "Review this pull request for race conditions; the handler writes to the response stream from two goroutines.",
    ];

    /// <summary>
    /// A chat body of about <paramref name="targetBytes"/> bytes: a system prompt and <paramref name="turns"/> user/assistant turns.
    /// <para/>The last user message starts with <see cref="RequestStamp.Marker"/>, which <see cref="RequestStamp"/> overwrites
    /// with a number to make each request's prompt distinct while keeping the body's length.
    /// </summary>
    /// <param name="targetBytes">Approximate size of the JSON body.</param>
    /// <param name="turns">Turns: each is a user message followed by an assistant reply, except the last, which is the open user question.</param>
    /// <param name="seed">Seed of the text selection.</param>
    public static byte[] Chat(int targetBytes, int turns = 1, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetBytes, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(turns, 1);
        var random = new Random(seed);
        var messageCount = (2 * turns) - 1;

        // JSON punctuation, role names and the system prompt cost about this much; the rest is split evenly.
        var overhead = 160 + SystemPrompt.Length + (messageCount * 40);
        var perMessage = Math.Max(16, (targetBytes - overhead) / messageCount);

        var buffer = new ArrayBufferWriter<byte>(targetBytes + 1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("model", Model);
            json.WriteStartArray("messages");
            WriteMessage(json, "system", SystemPrompt);
            for (var i = 0; i < messageCount; i++)
            {
                var text = Text(random, perMessage);

                // The open question carries the per-request stamp, so a count cache cannot answer it from an earlier request.
                WriteMessage(json, i % 2 == 0 ? "user" : "assistant", i == messageCount - 1 ? $"{RequestStamp.Marker} {text}" : text);
            }

            json.WriteEndArray();
            json.WriteNumber("max_tokens", 512);
            json.WriteNumber("temperature", 0.2);
            json.WriteBoolean("stream", false);
            json.WriteString("user", "bench-tenant-7");
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMessage(Utf8JsonWriter json, string role, string content)
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        json.WriteString("content", content);
        json.WriteEndObject();
    }

    /// <summary>About <paramref name="utf8Bytes"/> bytes of text (as escaped in JSON) drawn from the corpus.</summary>
    private static string Text(Random random, int utf8Bytes)
    {
        var text = new System.Text.StringBuilder(utf8Bytes + 256);
        var size = 0;
        while (size < utf8Bytes)
        {
            var sentence = Corpus[random.Next(Corpus.Length)];

            // One-off identifiers and numbers now and then, as real prompts carry request ids and figures.
            if (random.Next(4) == 0)
            {
                sentence = $"{sentence} (ticket OPS-{random.Next(1000, 99999)}, trace {random.NextInt64():x16})";
            }

            var bytes = JsonEncodedText.Encode(sentence, Encoder).EncodedUtf8Bytes.Length + 1;
            if (size + bytes > utf8Bytes && text.Length > 0)
            {
                // End on a word boundary close to the budget rather than overshooting by a whole sentence.
                var room = Math.Min(sentence.Length, utf8Bytes - size);
                var cut = sentence.LastIndexOf(' ', Math.Max(0, room - 1));
                text.Append(sentence, 0, Math.Max(0, cut));
                break;
            }

            text.Append(sentence).Append(' ');
            size += bytes;
        }

        return text.ToString().TrimEnd();
    }
}
