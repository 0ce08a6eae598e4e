using AiSidecar.ExtProc.Errors;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Raised while reading a body that breaks the API's schema; carries the answer for the client.</summary>
internal sealed class InspectionException(ApiError error) : Exception(error.Message)
{
    /// <summary>The error to answer with.</summary>
    public ApiError Error { get; } = error;
}
