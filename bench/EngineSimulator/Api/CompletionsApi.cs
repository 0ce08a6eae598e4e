using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using AiSidecar.EngineSimulator.Gpu;

namespace AiSidecar.EngineSimulator.Api;

/// <summary>
/// <c>POST /v1/completions</c> as vLLM answers it, without streaming: <c>prompt</c> in any of its four shapes,
/// <c>n</c> choices per prompt numbered <c>index = prompt × n + choice</c>, <c>max_tokens</c> (default 16) words each,
/// <c>finish_reason</c> "length" (stop strings are not applied), <c>echo</c> for text prompts.
/// </summary>
internal static class CompletionsApi
{
    /// <summary>Fields that do not change a choice's text: the prompt itself, how many choices, how it is delivered.</summary>
    private static readonly HashSet<string> NotParameters = ["prompt", "n", "stream", "stream_options", "user"];

    public static PreparedRequest Prepare(JsonElement root, RequestContext context)
    {
        var options = context.Options;
        if (RequestJson.Bool(root, "stream") == true)
        {
            throw SimulatorException.Invalid("The simulator does not stream; send 'stream': false.", "stream");
        }

        if (root.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind != JsonValueKind.Null)
        {
            throw SimulatorException.Invalid("The simulator does not produce logprobs.", "logprobs");
        }

        var prompts = RequestJson.Inputs(root, "prompt");
        var n = RequestJson.Int(root, "n", 1) ?? 1;
        var maxTokens = RequestJson.Int(root, "max_tokens", 1) ?? 16;
        var echo = RequestJson.Bool(root, "echo") ?? false;
        if (echo && prompts.Any(p => p.Text is null))
        {
            throw SimulatorException.Invalid("The simulator echoes text prompts only.", "echo");
        }

        var promptTokens = prompts.Select(p => p.Tokens(options)).ToArray();
        context.CheckLimits(promptTokens);
        var parameters = ParametersDigest(root);
        var body = RequestJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", context.Id("cmpl"));
            w.WriteString("object", "text_completion");
            w.WriteNumber("created", context.Created);
            w.WriteString("model", RequestJson.Model(root, options));
            w.WriteStartArray("choices");
            for (var p = 0; p < prompts.Count; p++)
            {
                var digest = prompts[p].Digest();
                for (var j = 0; j < n; j++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", (p * n) + j);
                    w.WriteString("text", (echo ? prompts[p].Text : "") + SimulatedOutputs.Completion(digest, parameters, j, maxTokens));
                    w.WriteNull("logprobs");
                    w.WriteString("finish_reason", "length");
                    w.WriteNull("stop_reason");
                    w.WriteNull("prompt_logprobs");
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
            w.WriteNull("service_tier");
            w.WriteNull("system_fingerprint");
            Usage.Write(w, promptTokens.Sum(), prompts.Count * n * maxTokens);
            w.WriteEndObject();
        });

        var sequences = promptTokens.SelectMany(tokens => Enumerable.Repeat(tokens, n)).ToArray();
        return new PreparedRequest(GpuWork.Generation(sequences, maxTokens), body);
    }

    /// <summary>SHA-256 of every other field, sorted by name, each value as compact JSON.</summary>
    private static byte[] ParametersDigest(JsonElement root)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject().Where(p => !NotParameters.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return SHA256.HashData(buffer.WrittenSpan);
    }
}
