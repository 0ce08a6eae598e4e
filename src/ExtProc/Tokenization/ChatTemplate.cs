namespace AiSidecar.ExtProc.Tokenization;

/// <summary>The chat-template families the server renders to count a chat request as its model reads it.</summary>
internal enum ChatTemplate
{
    /// <summary>OpenAI's per-message overhead (no rendered text).</summary>
    OpenAi,

    /// <summary>ChatML (<c>&lt;|im_start|&gt;</c>), as Qwen uses it.</summary>
    ChatMl,

    /// <summary>Llama 3's header tokens.</summary>
    Llama3,

    /// <summary>DeepSeek V3's role tokens.</summary>
    DeepSeekV3,
}
