using System.ComponentModel;
using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>The chat-template families the server renders to count a chat request as its model reads it.</summary>
[TypeConverter(typeof(ConfigEnumConverter<ChatTemplate>))]
internal enum ChatTemplate
{
    /// <summary>OpenAI's per-message overhead (no rendered text).</summary>
    [ConfigName("openai")]
    OpenAi,

    /// <summary>ChatML (<c>&lt;|im_start|&gt;</c>), as Qwen uses it.</summary>
    [ConfigName("chatml")]
    ChatMl,

    /// <summary>Llama 3's header tokens.</summary>
    [ConfigName("llama3")]
    Llama3,

    /// <summary>DeepSeek V3's role tokens.</summary>
    [ConfigName("deepseek_v3")]
    DeepSeekV3,
}
