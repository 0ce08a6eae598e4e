using System.Text;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Fuzz;

/// <summary>
/// The request inspector, as the inspect stage calls it. Input: a head line <c>METHOD PATH</c>, a newline, then the
/// body (an input without a head line is a body for <c>POST /v1/chat/completions</c>). The path picks the API as the
/// server does; a path that is not an inference route still has its body inspected, as the API its length picks.
/// Guarantees: the inspector returns a request or raises <see cref="InspectionException"/> with a 4xx error, nothing
/// else; a returned request is of that API and its model can go into a header.
/// </summary>
internal static class InspectorTarget
{
    private const int MaxHeadLength = 512;
    private static readonly RequestInspector Inspector = new();

    public static void Run(byte[] input)
    {
        var (method, path, body) = Split(input);
        if (!InferenceRoutes.TryMatch(method, path, hasBody: body.Length > 0, out var kind))
        {
            kind = (ApiKind)(path.Length % Enum.GetValues<ApiKind>().Length);
        }

        InferenceRequest request;
        try
        {
            request = Inspector.Inspect(kind, body);
        }
        catch (InspectionException ex)
        {
            FuzzFailure.Require(ex.Error.Status is >= 400 and < 500 && ex.Error.Kind.Length > 0 && ex.Error.Message.Length > 0, $"an inspection error is a 4xx with a kind and a message (got {ex.Error})");
            return;
        }

        FuzzFailure.Require(request.Kind == kind, "the request is of the API inspected");
        FuzzFailure.Require(request.Model is null || (request.Model.Length is > 0 and <= 256 && !request.Model.Any(char.IsControl)), "the model fits in a header");
        FuzzFailure.Require(request.PretokenizedTokens >= 0 && request.MaxTokens is null or >= 0, "counts are not negative");
        FuzzFailure.Require(request.Texts.All(t => t is not null) && request.Messages.All(m => m is not null), "texts and messages are present");
    }

    /// <summary>The head line's method and path, and the body.</summary>
    public static (string Method, string Path, ReadOnlyMemory<byte> Body) Split(byte[] input)
    {
        var newline = Array.IndexOf(input, (byte)'\n', 0, Math.Min(input.Length, MaxHeadLength));
        var space = newline < 0 ? -1 : Array.IndexOf(input, (byte)' ', 0, newline);
        if (space < 0)
        {
            return ("POST", "/v1/chat/completions", input);
        }

        return (Encoding.UTF8.GetString(input, 0, space), Encoding.UTF8.GetString(input, space + 1, newline - space - 1), input.AsMemory(newline + 1));
    }
}
