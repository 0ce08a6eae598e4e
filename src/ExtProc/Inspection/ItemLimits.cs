using System.Text.Json;
using AiSidecar.ExtProc.Errors;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>
/// The <see cref="InspectionOptions"/> limits while one body is read: arrays are checked before their items are
/// read, media parts as they are found. Beyond a limit the request is refused (400 <c>too_many_items</c>).
/// </summary>
/// <param name="options">The limits.</param>
/// <param name="conversation">The field that holds the request's messages (<c>messages</c>, <c>input</c>), named when media parts are too many.</param>
internal sealed class ItemLimits(InspectionOptions options, string conversation)
{
    private int _mediaParts;

    public void Messages(JsonElement array, string param) => Check(array, param, "messages", options.MaxMessages);

    public void ContentParts(JsonElement array, string param) => Check(array, param, "content parts", options.MaxContentParts);

    public void ToolCalls(JsonElement array, string param) => Check(array, param, "tool calls", options.MaxContentParts);

    public void Tools(JsonElement array) => Check(array, "tools", "tool definitions", options.MaxTools);

    /// <summary>One more input (a prompt, an embeddings input, a rerank document); <paramref name="count"/> is how many so far.</summary>
    public void Input(int count, string param)
    {
        if (count > options.MaxInputs)
        {
            throw new InspectionException(ApiErrors.TooManyItems(param, "inputs", options.MaxInputs));
        }
    }

    /// <summary>One more image, audio or file part, across the whole request.</summary>
    public void MediaPart()
    {
        if (++_mediaParts > options.MaxMediaParts)
        {
            throw new InspectionException(ApiErrors.TooManyItems(conversation, "image, audio or file parts (all messages together)", options.MaxMediaParts));
        }
    }

    private static void Check(JsonElement array, string param, string items, int max)
    {
        if (array.GetArrayLength() > max)
        {
            throw new InspectionException(ApiErrors.TooManyItems(param, items, max));
        }
    }
}
