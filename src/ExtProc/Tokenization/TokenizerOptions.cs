namespace AiSidecar.ExtProc.Tokenization;

/// <summary>A tokenizer and chat template: a tiktoken encoding, or a Hugging Face <c>tokenizer.json</c> file. Set exactly one.</summary>
internal sealed class TokenizerOptions
{
    /// <summary>A tiktoken encoding shipped with the server: <c>o200k_base</c> or <c>cl100k_base</c>.</summary>
    public TiktokenEncoding? Encoding { get; set; }

    /// <summary>A Hugging Face <c>tokenizer.json</c> path (byte-level BPE).</summary>
    public string? File { get; set; }

    /// <summary>The chat-template family: <c>openai</c> (default), <c>chatml</c>, <c>llama3</c> or <c>deepseek_v3</c>; all but <c>openai</c> need a file.</summary>
    public ChatTemplate Template { get; set; } = ChatTemplate.OpenAi;
}
