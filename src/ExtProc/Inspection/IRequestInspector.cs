namespace AiSidecar.ExtProc.Inspection;

/// <summary>Reads an OpenAI-compatible request body.</summary>
internal interface IRequestInspector
{
    /// <summary>Parses <paramref name="body"/> as a request to <paramref name="kind"/>.</summary>
    /// <exception cref="InspectionException">The body is not valid JSON or breaks the API's schema.</exception>
    InferenceRequest Inspect(ApiKind kind, ReadOnlyMemory<byte> body);
}
