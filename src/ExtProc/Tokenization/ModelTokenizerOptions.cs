namespace AiSidecar.ExtProc.Tokenization;

/// <summary>One entry of <c>tokenization.models</c>: which models use which tokenizer and chat template.</summary>
public sealed class ModelTokenizerOptions
{
    /// <summary>Model names, aliases and glob patterns (<c>*</c>, <c>?</c>), compared case-sensitively.</summary>
    public List<string> Match { get; set; } = [];

    /// <summary>A tiktoken encoding (<c>o200k_base</c>, <c>cl100k_base</c>); set this or <see cref="File"/>.</summary>
    public string? Encoding { get; set; }

    /// <summary>A Hugging Face <c>tokenizer.json</c> path; set this or <see cref="Encoding"/>.</summary>
    public string? File { get; set; }

    /// <summary>The chat-template family: <c>openai</c> (default), <c>chatml</c>, <c>llama3</c> or <c>deepseek_v3</c>.</summary>
    public string Template { get; set; } = "openai";
}
