using System.Text;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tokenization.Templates;

/// <summary>The Llama 3 header format: <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c>.</summary>
internal sealed class Llama3Format : RenderedPromptFormat
{
    private const string Bos = "<|begin_of_text|>";
    private const string StartHeader = "<|start_header_id|>";
    private const string EndHeader = "<|end_header_id|>";
    private const string Eot = "<|eot_id|>";

    public override string Family => "llama3";

    public override IReadOnlyList<string> RequiredTokens { get; } = [Bos, StartHeader, EndHeader, Eot];

    public override string Render(InferenceRequest request)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var message = request.Messages[i];
            if (i == 0)
            {
                sb.Append(Bos);
            }

            sb.Append(StartHeader).Append(message.Role).Append(EndHeader).Append("\n\n")
                .Append(PyStrip(message.Content ?? "")).Append(Eot);
        }

        return sb.Append(StartHeader).Append("assistant").Append(EndHeader).Append("\n\n").ToString();
    }
}
