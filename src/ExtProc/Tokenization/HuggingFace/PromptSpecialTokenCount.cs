using System.Text.Json;

namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>
/// How many special tokens the engine adds around a plain prompt (completions, embeddings), where it tokenizes with
/// <c>add_special_tokens=True</c>: the <c>TemplateProcessing</c> post-processor's single-sequence template, or, for
/// <c>LlamaTokenizerFast</c> files, <c>add_bos_token</c>/<c>add_eos_token</c> of the <c>tokenizer_config.json</c>
/// beside the file (transformers rebuilds the post-processor from those).
/// </summary>
internal static class PromptSpecialTokenCount
{
    public static int Read(string path, JsonElement root)
    {
        var fromConfig = FromConfig(Path.Combine(Path.GetDirectoryName(path) ?? ".", "tokenizer_config.json"));
        if (fromConfig is { } count)
        {
            return count;
        }

        if (!root.TryGetProperty("post_processor", out var processor) || processor.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        var steps = processor.TryGetProperty("processors", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [processor];
        var total = 0;
        foreach (var step in steps)
        {
            var type = step.TryGetProperty("type", out var t) ? t.GetString() : null;
            total += type switch
            {
                "TemplateProcessing" when step.TryGetProperty("single", out var single) && single.ValueKind == JsonValueKind.Array =>
                    single.EnumerateArray().Count(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("SpecialToken", out _)),
                "BertProcessing" or "RobertaProcessing" => 2,
                _ => 0,
            };
        }

        return total;
    }

    private static int? FromConfig(string configPath)
    {
        if (!File.Exists(configPath))
        {
            return null;
        }

        try
        {
            using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
            var root = config.RootElement;
            if (!root.TryGetProperty("tokenizer_class", out var cls) || cls.GetString() != "LlamaTokenizerFast")
            {
                return null;
            }

            var bos = !root.TryGetProperty("add_bos_token", out var b) || b.ValueKind == JsonValueKind.True;
            var eos = root.TryGetProperty("add_eos_token", out var e) && e.ValueKind == JsonValueKind.True;
            return (bos ? 1 : 0) + (eos ? 1 : 0);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
