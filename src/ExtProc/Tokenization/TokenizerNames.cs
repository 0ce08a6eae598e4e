namespace AiSidecar.ExtProc.Tokenization;

/// <summary>The config spellings of encodings and templates, which also name tokenizers in metrics and logs.</summary>
internal static class TokenizerNames
{
    public static string Of(TiktokenEncoding encoding) => encoding switch
    {
        TiktokenEncoding.Cl100kBase => "cl100k_base",
        _ => "o200k_base",
    };

    public static string Of(ChatTemplate template) => template switch
    {
        ChatTemplate.ChatMl => "chatml",
        ChatTemplate.Llama3 => "llama3",
        ChatTemplate.DeepSeekV3 => "deepseek_v3",
        _ => "openai",
    };
}
