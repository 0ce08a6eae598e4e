namespace AiSidecar.ExtProc.Tokenization.Templates;

/// <summary>The chat-template families the server renders.</summary>
internal static class PromptFormats
{
    public const string OpenAi = "openai";
    public const string ChatMl = "chatml";
    public const string Llama3 = "llama3";
    public const string DeepSeekV3 = "deepseek_v3";

    public static readonly IReadOnlyList<string> Families = [OpenAi, ChatMl, Llama3, DeepSeekV3];

    public static IPromptFormat For(ChatTemplate template) => template switch
    {
        ChatTemplate.ChatMl => new ChatMlFormat(),
        ChatTemplate.Llama3 => new Llama3Format(),
        ChatTemplate.DeepSeekV3 => new DeepSeekV3Format(),
        _ => new OpenAiFormat(),
    };
}
